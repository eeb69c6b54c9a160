using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrleansSync.Client.Queues;

/// <summary>
/// Runs one push subscription for the host's lifetime and hands each message to a <typeparamref name="THandler"/>
/// resolved from a new DI scope. Registered by <c>services.AddQueueConsumer&lt;THandler&gt;(queue, group)</c>.
/// </summary>
/// <typeparam name="THandler">The handler type.</typeparam>
internal sealed class QueueConsumerHostedService<THandler>(
    IServiceScopeFactory scopes,
    IQueueService queues,
    string queue,
    string group,
    QueueSubscriptionOptions options) : IHostedService, IAsyncDisposable
    where THandler : class, IQueueHandler
{
    private IQueueSubscription? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Starting only launches the loops: if the Orleans client is still connecting, receives retry until it is up.
        _subscription = await queues.SubscribeAsync(queue, group, HandleAsync, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(OrleansSync.Queues.QueueDelivery message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
