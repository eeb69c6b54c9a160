using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers queue consumers that run for the host's lifetime.</summary>
public static class QueueConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Consumes <paramref name="queue"/> as a member of <paramref name="group"/> while the host runs: every message goes to
    /// a <typeparamref name="THandler"/> (registered as scoped unless already registered) in its own DI scope; returning
    /// acks, throwing nacks with requeue. Needs <c>AddOrleansSyncClient</c>. On host stop the subscription finishes
    /// in-flight handlers and leaves the group.
    /// </summary>
    /// <typeparam name="THandler">The message handler.</typeparam>
    /// <param name="services">The application's services.</param>
    /// <param name="queue">Queue name.</param>
    /// <param name="group">Consumer group name.</param>
    /// <param name="configure">Sets prefetch, concurrency, visibility, consumer id; defaults otherwise.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">Invalid queue or group name, or an option out of range.</exception>
    public static IServiceCollection AddQueueConsumer<THandler>(this IServiceCollection services, string queue, string group, Action<QueueSubscriptionOptions>? configure = null)
        where THandler : class, IQueueHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        QueueValidation.ValidateGroup(queue, group);
        var options = new QueueSubscriptionOptions();
        configure?.Invoke(options);
        services.TryAddScoped<THandler>();
        services.AddSingleton<IHostedService>(sp => new QueueConsumerHostedService<THandler>(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IQueueService>(), queue, group, options));
        return services;
    }
}
