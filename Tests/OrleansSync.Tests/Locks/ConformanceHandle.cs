namespace OrleansSync.Tests.Locks;

/// <summary>What the conformance suite needs of a held lock, whichever API produced it.</summary>
public sealed record ConformanceHandle(IAsyncDisposable Handle, CancellationToken HandleLostToken) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Handle.DisposeAsync();
}
