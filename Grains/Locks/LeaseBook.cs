namespace OrleansSync.Locks;

/// <summary>
/// The Orleans-free core of every lease grain: holders with leases, a FIFO queue of waiters, a limit on shared
/// holders and the fencing-token counter. Not thread-safe: a grain drives it from its turns.
/// </summary>
/// <remarks>
/// A request is granted only from the head of the queue (strict FIFO), so once an exclusive request waits, later
/// shared requests queue behind it (writer preference). Changes that must be durable before anyone hears of them
/// (a grant with its token, a renewal, the limit) set <see cref="IsDirty"/>; the grain writes them first. Removing a
/// holder does not: storage that still lists a released or expired holder only makes a later activation wait for that
/// lease to run out, which is safe. A holder released before its lease ended is tracked in
/// <see cref="UnwrittenReleaseUntil"/> so the grain can write the release later (soon after, or when it deactivates)
/// and a new activation does not wait for it. Hand-offs made by <see cref="Pump"/> collect in
/// <see cref="TakeHandOffs"/>, dropped waiters in <see cref="TakeDropped"/>.
/// <para>
/// A hand-off reaches its waiter as the answer to a pending wait call, and that answer is lost when the waiter's
/// process died while waiting. So a hand-off must be claimed (<see cref="Claim"/>, or a renewal) within the claim
/// window; an unclaimed one ends then, like a release, and the name goes to the next waiter instead of staying held
/// by nobody for a whole lease. The deadline is kept in memory only: a new activation keeps the full persisted lease,
/// which is the safe side.
/// </para>
/// </remarks>
internal sealed class LeaseBook
{
    private readonly TimeProvider _clock;
    private readonly List<LeaseHolder> _holders;
    private readonly LinkedList<LeaseWaiter> _queue = new();
    private readonly Dictionary<Guid, LinkedListNode<LeaseWaiter>> _waiters = [];
    private readonly List<LeaseHolder> _handOffs = [];
    private readonly List<Guid> _dropped = [];
    private readonly Dictionary<long, DateTimeOffset> _claimBy = [];

    /// <summary>Creates a book from persisted data.</summary>
    /// <param name="clock">The clock for leases and waiter presence.</param>
    /// <param name="waiterGrace">How long a waiter may go without a pending wait before it counts as dead.</param>
    /// <param name="lastToken">The persisted token counter.</param>
    /// <param name="limit">The persisted limit; 0 = not set yet.</param>
    /// <param name="holders">The persisted holders (expired ones are removed by the next <see cref="Pump"/>).</param>
    /// <param name="claimWindow">How long a hand-off may stay unclaimed; null = <paramref name="waiterGrace"/>.</param>
    public LeaseBook(TimeProvider clock, TimeSpan waiterGrace, long lastToken = 0, int limit = 0, IEnumerable<LeaseHolder>? holders = null, TimeSpan? claimWindow = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        WaiterGrace = waiterGrace;
        ClaimWindow = claimWindow ?? waiterGrace;
        LastToken = lastToken;
        Limit = limit;
        _holders = holders is null ? [] : [.. holders.OrderBy(h => h.Token)];
    }

    public TimeSpan WaiterGrace { get; }

    /// <summary>How long a hand-off may stay unclaimed before it ends (see the remarks).</summary>
    public TimeSpan ClaimWindow { get; }

    /// <summary>The highest token ever granted.</summary>
    public long LastToken { get; private set; }

    /// <summary>How many shared holders are admitted; 0 until the first request sets it.</summary>
    public int Limit { get; private set; }

    /// <summary>Whether data that must be durable before it is answered (grants, renewals, the limit) changed since <see cref="MarkClean"/>.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>
    /// The latest lease end among holders released before their lease ended since <see cref="MarkClean"/>: until then,
    /// storage not yet written would still show one of them as holding the name. Null when there is none.
    /// </summary>
    public DateTimeOffset? UnwrittenReleaseUntil { get; private set; }

    /// <summary>Whether a release not yet written would still make a new activation wait (its lease has not ended).</summary>
    public bool HasUnwrittenRelease => UnwrittenReleaseUntil is { } until && until > _clock.GetUtcNow();

    public IReadOnlyList<LeaseHolder> Holders => _holders;

    public int WaiterCount => _queue.Count;

    /// <summary>How many hand-offs ended unclaimed since the book was created (each one is a waiter that died waiting).</summary>
    public int UnclaimedHandOffs { get; private set; }

    /// <summary>How many leases ran out (were not released) since the book was created.</summary>
    public int ExpiredLeases { get; private set; }

    public IEnumerable<LeaseWaiter> Waiters => _queue;

    /// <summary>Everything in the book is now in storage.</summary>
    public void MarkClean()
    {
        IsDirty = false;
        UnwrittenReleaseUntil = null;
    }

    /// <summary>Grants made by <see cref="Pump"/> to waiters since the last call; the grain signals them after writing.</summary>
    public IReadOnlyList<LeaseHolder> TakeHandOffs() => Take(_handOffs);

    /// <summary>Waiters removed since the last call (dead or cancelled); the grain tells their pending waits.</summary>
    public IReadOnlyList<Guid> TakeDropped() => Take(_dropped);

    /// <summary>Expires leases, then grants or refuses <paramref name="request"/> or queues it. Idempotent per request id.</summary>
    /// <exception cref="ArgumentException">The request's limit differs from the one in use while the name is held or awaited.</exception>
    public LeaseDecision Acquire(LeaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _clock.GetUtcNow();
        Pump();

        if (FindByRequest(request.RequestId) is { } existing)
        {
            return new LeaseDecision(LeaseAcquireStatus.Granted, existing, -1);
        }

        if (_waiters.TryGetValue(request.RequestId, out var node))
        {
            node.Value.LastSeen = now;
            return new LeaseDecision(LeaseAcquireStatus.Queued, null, PositionOf(node));
        }

        if (request.Limit != Limit)
        {
            if (_holders.Count > 0 || _queue.Count > 0)
            {
                throw new ArgumentException($"The name is in use with limit {Limit}; the request asks for {request.Limit}.", "limit");
            }

            Limit = request.Limit;
            IsDirty = true;
        }

        if (_queue.Count == 0 && CanGrant(request.Mode))
        {
            return new LeaseDecision(LeaseAcquireStatus.Granted, Grant(request.RequestId, request.Owner, request.Mode, request.Lease, now), -1);
        }

        if (!request.Wait)
        {
            return new LeaseDecision(LeaseAcquireStatus.Refused, null, -1);
        }

        var waiter = new LeaseWaiter(request.RequestId, request.Owner, request.Mode, request.Lease, now);
        _waiters[waiter.RequestId] = _queue.AddLast(waiter);
        return new LeaseDecision(LeaseAcquireStatus.Queued, null, _queue.Count - 1);
    }

    /// <summary>Expires leases, drops dead waiters at the head of the queue and grants from the head while possible.</summary>
    public void Pump()
    {
        // Expired holders are dropped from memory only: an expired entry left in storage is ignored when read back.
        var now = _clock.GetUtcNow();
        ExpiredLeases += _holders.RemoveAll(h => h.ExpiresAt <= now);
        EndUnclaimedHandOffs(now);

        while (_queue.First is { } head)
        {
            var waiter = head.Value;
            if (IsDead(waiter, now))
            {
                RemoveWaiter(head);
                _dropped.Add(waiter.RequestId);
                continue;
            }

            if (!CanGrant(waiter.Mode))
            {
                break;
            }

            RemoveWaiter(head);
            var handOff = Grant(waiter.RequestId, waiter.Owner, waiter.Mode, waiter.Lease, now);
            if (now + ClaimWindow < handOff.ExpiresAt)
            {
                _claimBy[handOff.Token] = now + ClaimWindow;
            }

            _handOffs.Add(handOff);
        }
    }

    /// <summary>
    /// The waiter of a hand-off confirms it received the grant. True when <paramref name="token"/> still holds the
    /// name (claimed now or before); false when it does not (unclaimed in time, released or expired).
    /// </summary>
    public bool Claim(long token)
    {
        Pump();
        if (!_holders.Exists(h => h.Token == token))
        {
            return false;
        }

        _claimBy.Remove(token);
        return true;
    }

    /// <summary>The time by which the hand-off of <paramref name="token"/> must be claimed; null when claimed or not a hand-off.</summary>
    public DateTimeOffset? ClaimDeadline(long token) => _claimBy.TryGetValue(token, out var by) ? by : null;

    /// <summary>Extends the lease of <paramref name="token"/>; null when that token no longer holds the name.</summary>
    public LeaseHolder? Renew(long token, TimeSpan lease)
    {
        Pump();
        var index = _holders.FindIndex(h => h.Token == token);
        if (index < 0)
        {
            return null;
        }

        var renewed = _holders[index] with { Lease = lease, ExpiresAt = _clock.GetUtcNow() + lease };
        _holders[index] = renewed;
        _claimBy.Remove(token);
        IsDirty = true;
        return renewed;
    }

    /// <summary>Releases <paramref name="token"/> and hands over; false when that token no longer holds the name.</summary>
    public bool Release(long token)
    {
        Pump();
        var index = _holders.FindIndex(h => h.Token == token);
        if (index < 0)
        {
            return false;
        }

        // Not dirty: a release need not be durable before it is answered (see the remarks); a hand-off made by the
        // pump below is a grant and is.
        var released = _holders[index];
        _holders.RemoveAt(index);
        _claimBy.Remove(token);
        NoteUnwrittenRelease(released);
        Pump();
        return true;
    }

    /// <summary>Removes a waiter, or releases the request's grant. Returns whether the request was known.</summary>
    public bool Cancel(Guid requestId)
    {
        if (_waiters.TryGetValue(requestId, out var node))
        {
            RemoveWaiter(node);
            _dropped.Add(requestId);
            Pump();
            return true;
        }

        return FindByRequest(requestId) is { } holder && Release(holder.Token);
    }

    /// <summary>The valid grant of <paramref name="requestId"/>, if any.</summary>
    public LeaseHolder? FindByRequest(Guid requestId)
    {
        var now = _clock.GetUtcNow();
        return _holders.Find(h => h.RequestId == requestId && h.ExpiresAt > now);
    }

    /// <summary>Whether <paramref name="requestId"/> waits in the queue.</summary>
    public bool IsWaiting(Guid requestId) => _waiters.ContainsKey(requestId);

    /// <summary>Queue position of a waiter, or -1.</summary>
    public int PositionOf(Guid requestId) => _waiters.TryGetValue(requestId, out var node) ? PositionOf(node) : -1;

    /// <summary>Marks the start of a wait call: the waiter is alive.</summary>
    public void BeginWait(Guid requestId)
    {
        if (_waiters.TryGetValue(requestId, out var node))
        {
            node.Value.PendingWaits++;
            node.Value.LastSeen = _clock.GetUtcNow();
        }
    }

    /// <summary>Marks the end of a wait call.</summary>
    public void EndWait(Guid requestId)
    {
        if (_waiters.TryGetValue(requestId, out var node))
        {
            node.Value.PendingWaits = Math.Max(0, node.Value.PendingWaits - 1);
            node.Value.LastSeen = _clock.GetUtcNow();
        }
    }

    /// <summary>The earliest lease expiry, or null when nobody holds the name.</summary>
    public DateTimeOffset? NextExpiry()
    {
        if (_holders.Count == 0)
        {
            return null;
        }

        var next = _holders.Min(h => h.ExpiresAt);
        foreach (var by in _claimBy.Values)
        {
            next = by < next ? by : next;
        }

        return next;
    }

    /// <summary>Holders whose lease is valid now.</summary>
    public IEnumerable<LeaseHolder> ValidHolders()
    {
        var now = _clock.GetUtcNow();
        return _holders.Where(h => h.ExpiresAt > now);
    }

    /// <summary>Ends hand-offs whose claim window passed, as releases (their full lease is what storage lists).</summary>
    private void EndUnclaimedHandOffs(DateTimeOffset now)
    {
        if (_claimBy.Count == 0)
        {
            return;
        }

        foreach (var (token, by) in _claimBy.ToList())
        {
            var index = _holders.FindIndex(h => h.Token == token);
            if (index < 0)
            {
                _claimBy.Remove(token);
            }
            else if (by <= now)
            {
                _claimBy.Remove(token);
                NoteUnwrittenRelease(_holders[index]);
                _holders.RemoveAt(index);
                UnclaimedHandOffs++;
            }
        }
    }

    private void NoteUnwrittenRelease(LeaseHolder released)
    {
        if (UnwrittenReleaseUntil is not { } until || released.ExpiresAt > until)
        {
            UnwrittenReleaseUntil = released.ExpiresAt;
        }
    }

    private bool CanGrant(LeaseMode mode)
    {
        if (mode == LeaseMode.Exclusive)
        {
            return _holders.Count == 0;
        }

        return _holders.Count < Math.Max(1, Limit) && !_holders.Exists(h => h.Mode == LeaseMode.Exclusive);
    }

    private LeaseHolder Grant(Guid requestId, string owner, LeaseMode mode, TimeSpan lease, DateTimeOffset now)
    {
        var holder = new LeaseHolder(requestId, owner, mode, ++LastToken, lease, now + lease);
        _holders.Add(holder);
        IsDirty = true;
        return holder;
    }

    private bool IsDead(LeaseWaiter waiter, DateTimeOffset now) =>
        waiter.PendingWaits == 0 && now - waiter.LastSeen > WaiterGrace;

    private void RemoveWaiter(LinkedListNode<LeaseWaiter> node)
    {
        _queue.Remove(node);
        _waiters.Remove(node.Value.RequestId);
    }

    private static int PositionOf(LinkedListNode<LeaseWaiter> node)
    {
        var position = 0;
        for (var n = node.Previous; n is not null; n = n.Previous)
        {
            position++;
        }

        return position;
    }

    private static List<T> Take<T>(List<T> items)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var taken = new List<T>(items);
        items.Clear();
        return taken;
    }
}
