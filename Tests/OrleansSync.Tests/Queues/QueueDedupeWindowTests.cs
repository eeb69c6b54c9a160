using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>The partition writer's in-memory dedupe window on its own.</summary>
public sealed class QueueDedupeWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_of_the_window_is_a_candidate_naming_its_row_and_an_unknown_id_is_not()
    {
        var window = new QueueDedupeWindow();
        window.Add(0, Start, ["a", "b"]);
        window.Add(2, Start.AddSeconds(1), ["c"]);

        Assert.Equal((false, (long?)0), window.Lookup("b"));
        Assert.Equal((false, (long?)2), window.Lookup("c"));
        Assert.Equal((false, (long?)null), window.Lookup("d"));
        Assert.Equal(3, window.Count);
    }

    [Fact]
    public void Expiry_forgets_rows_published_at_or_before_the_cutoff_only()
    {
        var window = new QueueDedupeWindow();
        window.Add(0, Start, ["a"]);
        window.Add(1, Start.AddSeconds(10), ["b"]);

        window.Expire(Start);

        Assert.Equal((false, (long?)null), window.Lookup("a"));
        Assert.Equal((false, (long?)1), window.Lookup("b"));
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void An_id_stored_again_after_expiry_names_its_new_row_and_the_old_rows_expiry_does_not_remove_it()
    {
        var window = new QueueDedupeWindow();
        window.Add(0, Start, ["a"]);
        window.Expire(Start);
        window.Add(5, Start.AddSeconds(1), ["a"]);

        // The first row is gone already; expiring up to just before the second row keeps it.
        window.Expire(Start.AddMilliseconds(500));

        Assert.Equal((false, (long?)5), window.Lookup("a"));
    }

    [Fact]
    public void Ids_sharing_a_fingerprint_are_both_found_and_each_expires_with_its_own_row()
    {
        var window = new QueueDedupeWindow(_ => 42);
        window.Add(0, Start, ["a"]);
        window.Add(1, Start.AddSeconds(10), ["b"]);

        // "a" holds the fingerprint (a candidate to confirm against row 0); "b" is kept exactly; any other id with the
        // fingerprint is a candidate that row 0's exact ids will reject.
        Assert.Equal((false, (long?)0), window.Lookup("a"));
        Assert.Equal((true, (long?)null), window.Lookup("b"));
        Assert.Equal((false, (long?)0), window.Lookup("c"));

        window.Expire(Start);
        Assert.Equal((false, (long?)null), window.Lookup("a"));
        Assert.Equal((true, (long?)null), window.Lookup("b"));

        window.Expire(Start.AddSeconds(10));
        Assert.Equal((false, (long?)null), window.Lookup("b"));
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void The_fingerprint_is_not_the_partition_hash()
    {
        // Ids of one partition share their partition hash modulo the partition count; the fingerprint must not.
        Assert.NotEqual(
            System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes("order-1")),
            QueueDedupeWindow.Fingerprint("order-1"));
    }
}
