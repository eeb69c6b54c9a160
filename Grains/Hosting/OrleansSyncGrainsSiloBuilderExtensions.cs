namespace Orleans.Hosting;

/// <summary>Silo-builder forms of the OrleansSync grain registrations.</summary>
public static class OrleansSyncGrainsSiloBuilderExtensions
{
    /// <inheritdoc cref="Microsoft.Extensions.DependencyInjection.OrleansSyncGrainsServiceCollectionExtensions.AddOrleansSyncGrains"/>
    public static ISiloBuilder AddOrleansSyncGrains(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Microsoft.Extensions.DependencyInjection.OrleansSyncGrainsServiceCollectionExtensions.AddOrleansSyncGrains(builder.Services);
        return builder;
    }
}
