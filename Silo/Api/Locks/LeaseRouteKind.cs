namespace OrleansSync.Silo.Api.Locks;

/// <summary>The four lease resources: their route prefix and their grain.</summary>
internal enum LeaseRouteKind
{
    Lock,
    ReaderWriterLock,
    Semaphore,
    Election,
}
