namespace OrleansSync.Locks;

/// <summary>The mode and limit rules of each kind of lease.</summary>
internal static class LeaseKinds
{
    /// <summary>Locks and elections: exclusive, limit 1.</summary>
    public static LeaseRequest Exclusive(LeaseRequest request)
    {
        if (request.Mode != LeaseMode.Exclusive)
        {
            throw new ArgumentException("mode must be exclusive for a lock or an election.", "mode");
        }

        return request with { Limit = 1 };
    }

    /// <summary>Semaphores: shared, limit 1–10,000.</summary>
    public static LeaseRequest Semaphore(LeaseRequest request)
    {
        if (request.Mode != LeaseMode.Shared)
        {
            throw new ArgumentException("mode must be shared for a semaphore.", "mode");
        }

        LeaseLimits.ValidateSemaphoreLimit(request.Limit, "limit");
        return request;
    }

    /// <summary>Reader-writer locks: any number of readers (shared) or one writer (exclusive).</summary>
    public static LeaseRequest ReaderWriter(LeaseRequest request)
    {
        if (request.Mode is not (LeaseMode.Exclusive or LeaseMode.Shared))
        {
            throw new ArgumentException("mode must be read (shared) or write (exclusive).", "mode");
        }

        return request with { Limit = int.MaxValue };
    }
}
