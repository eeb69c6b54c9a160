namespace OrleansSync.Benchmarks.Locks;

/// <summary>One lock implementation under measurement: acquire waits until granted; disposing the result releases.</summary>
internal interface ILockBackend : IAsyncDisposable
{
    string Name { get; }

    Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken);
}
