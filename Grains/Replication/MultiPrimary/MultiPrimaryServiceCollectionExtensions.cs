using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>Silo services of multi-primary copies (called from <c>AddOrleansSyncGrains</c>).</summary>
internal static class MultiPrimaryServiceCollectionExtensions
{
    public static IServiceCollection AddMultiPrimaryCopies(this IServiceCollection services)
    {
        services.AddOptions<MultiPrimaryOptions>();
        services.TryAddSingleton<ICopyStore, MemoryCopyStore>();
        return services;
    }
}
