namespace OrleansSync.Queues;

/// <summary>
/// The broker's memory of each consumer's last heartbeat answer, so a receive inside the consumer's lease can skip the
/// group grain (one grain hop less per consume cycle). An answer is used only while it is younger than the renewal
/// period (the lease is then renewed by a real heartbeat, which also expires silent consumers) and only while its
/// generation is the newest this broker knows of the group (a watch of the group's rebalances raises that).
/// </summary>
/// <remarks>Not thread-safe: used only inside one (reentrant, single-threaded) broker activation.</remarks>
internal sealed class ConsumerAssignmentCache(TimeSpan renewEvery)
{
    private const int MaxGroups = 10_000;
    private readonly Dictionary<string, GroupEntry> _groups = new(StringComparer.Ordinal);

    /// <summary>How long a heartbeat answer stands in for the next heartbeats.</summary>
    public TimeSpan RenewEvery { get; } = renewEvery;

    /// <summary>
    /// <paramref name="consumer"/>'s assignment if it heartbeated less than <see cref="RenewEvery"/> ago and no newer
    /// generation of its group is known; otherwise false (the caller heartbeats).
    /// </summary>
    public bool TryGet(string groupKey, string consumer, DateTimeOffset now, out ConsumerAssignment assignment)
    {
        assignment = null!;
        if (!_groups.TryGetValue(groupKey, out var entry)
            || !entry.Consumers.TryGetValue(consumer, out var known)
            || now - known.RenewedAt >= RenewEvery
            || known.Assignment.Generation < entry.Generation)
        {
            return false;
        }

        assignment = known.Assignment;
        return true;
    }

    /// <summary>
    /// Keeps a heartbeat answer taken at <paramref name="renewedAt"/>; answers a token when the group has no watch yet
    /// (the caller starts one and passes the token to <see cref="KeepWatching"/>), else null.
    /// </summary>
    public object? Remember(string groupKey, string consumer, ConsumerAssignment assignment, DateTimeOffset renewedAt)
    {
        if (!_groups.TryGetValue(groupKey, out var entry))
        {
            if (_groups.Count >= MaxGroups)
            {
                _groups.Clear();
            }

            entry = _groups[groupKey] = new GroupEntry();
        }

        Rebalanced(entry, assignment.Generation);
        entry.Consumers[consumer] = (assignment, renewedAt);
        if (entry.Watched)
        {
            return null;
        }

        entry.Watched = true;
        return entry;
    }

    /// <summary>Drops <paramref name="consumer"/>'s answer (it left, or an answer of it turned out stale).</summary>
    public void Forget(string groupKey, string consumer)
    {
        if (_groups.TryGetValue(groupKey, out var entry))
        {
            entry.Consumers.Remove(consumer);
        }
    }

    /// <summary>The group rebalanced to <paramref name="generation"/>: answers of older generations are no longer used.</summary>
    public void Rebalanced(string groupKey, long generation)
    {
        if (_groups.TryGetValue(groupKey, out var entry))
        {
            Rebalanced(entry, generation);
        }
    }

    /// <summary>
    /// Whether the watch of <paramref name="token"/> should go on (its group is still the one remembered and some answer
    /// is still usable at <paramref name="now"/>) and from which generation; when not, a later <see cref="Remember"/>
    /// starts a new watch.
    /// </summary>
    public bool KeepWatching(string groupKey, object token, DateTimeOffset now, out long generation)
    {
        generation = 0;
        if (!_groups.TryGetValue(groupKey, out var entry) || !ReferenceEquals(entry, token))
        {
            return false;
        }

        if (!entry.Consumers.Values.Any(c => now - c.RenewedAt < RenewEvery))
        {
            _groups.Remove(groupKey);
            return false;
        }

        generation = entry.Generation;
        return true;
    }

    /// <summary>The watch of <paramref name="token"/> failed: nothing of its group is used until the next heartbeat starts a new watch.</summary>
    public void ForgetGroup(string groupKey, object token)
    {
        if (_groups.TryGetValue(groupKey, out var entry) && ReferenceEquals(entry, token))
        {
            _groups.Remove(groupKey);
        }
    }

    private static void Rebalanced(GroupEntry entry, long generation)
    {
        if (generation <= entry.Generation)
        {
            return;
        }

        entry.Generation = generation;
        foreach (var stale in entry.Consumers.Where(c => c.Value.Assignment.Generation < generation).Select(c => c.Key).ToList())
        {
            entry.Consumers.Remove(stale);
        }
    }

    private sealed class GroupEntry
    {
        public long Generation { get; set; }

        public bool Watched { get; set; }

        public Dictionary<string, (ConsumerAssignment Assignment, DateTimeOffset RenewedAt)> Consumers { get; } = new(StringComparer.Ordinal);
    }
}
