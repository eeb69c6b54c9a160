using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>The delivery state machine on its own, with a hand-moved clock.</summary>
public sealed class DeliveryBookTests
{
    private const int Partition = 2;
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private readonly QueueManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Acks_in_order_advance_the_committed_offset()
    {
        var book = NewBook();
        Assert.True(book.Claim("c1", 1));
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);
        var r1 = book.Deliver(Partition, 1, "c1", Visibility);

        Assert.Equal(new QueueReceipt(Partition, 0, 1), r0);
        Assert.Equal(2, book.NextOffset);
        Assert.True(book.Ack(r0));
        Assert.Equal(1, book.CommittedOffset);
        Assert.True(book.Ack(r1));
        Assert.Equal(2, book.CommittedOffset);
        Assert.Equal(0, book.InFlightCount);
        Assert.Equal(0, book.SettledAboveCommitted);
    }

    [Fact]
    public void Seek_back_hands_out_again_from_the_offset_with_fresh_counts_and_forgets_unsettled_deliveries()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        var receipts = Enumerable.Range(0, 4).Select(o => book.Deliver(Partition, o, "c1", Visibility)).ToList();
        Assert.True(book.Ack(receipts[0]));
        Assert.True(book.Ack(receipts[2]));

        book.Seek(1);

        Assert.Equal(1, book.CommittedOffset);
        Assert.Equal(1, book.NextOffset);
        Assert.Equal(0, book.InFlightCount);
        Assert.Equal(0, book.SettledAboveCommitted);
        Assert.Empty(book.RedeliverableOffsets(10));
        Assert.Equal(new QueueReceipt(Partition, 1, 1), book.Deliver(Partition, 1, "c1", Visibility));
        Assert.Throws<ArgumentOutOfRangeException>(() => book.Seek(-1));
    }

    [Fact]
    public void Seek_forward_settles_everything_below_the_offset()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        book.Deliver(Partition, 0, "c1", Visibility);

        book.Seek(10);

        Assert.Equal(10, book.CommittedOffset);
        Assert.Equal(10, book.NextOffset);
        Assert.Equal(0, book.InFlightCount);
        Assert.Throws<InvalidOperationException>(() => book.Deliver(Partition, 0, "c1", Visibility));
    }

    [Fact]
    public void An_ack_above_a_gap_waits_for_the_gap_before_the_committed_offset_moves()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);
        var r1 = book.Deliver(Partition, 1, "c1", Visibility);
        var r2 = book.Deliver(Partition, 2, "c1", Visibility);

        Assert.True(book.Ack(r2));
        Assert.True(book.Ack(r1));
        Assert.Equal(0, book.CommittedOffset);
        Assert.Equal(2, book.SettledAboveCommitted);

        Assert.True(book.Ack(r0));
        Assert.Equal(3, book.CommittedOffset);
        Assert.Equal(0, book.SettledAboveCommitted);
    }

    [Fact]
    public void Visibility_expiry_makes_a_message_redeliverable_with_delivery_count_plus_one()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        var first = book.Deliver(Partition, 0, "c1", Visibility);
        Assert.Empty(book.RedeliverableOffsets(10));

        _clock.Advance(Visibility - TimeSpan.FromMilliseconds(1));
        Assert.Empty(book.RedeliverableOffsets(10));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([0L], book.RedeliverableOffsets(10));
        var second = book.Deliver(Partition, 0, "c1", Visibility);

        Assert.Equal(2, second.DeliveryCount);
        Assert.False(book.Ack(first)); // a receipt of an earlier delivery no longer settles the message
        Assert.True(book.Ack(second));
        Assert.Equal(1, book.CommittedOffset);
    }

    [Fact]
    public void After_max_deliveries_an_expired_message_becomes_a_dead_letter_and_is_settled()
    {
        var book = NewBook(maxDeliveries: 3);
        book.Claim("c1", 1);
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            Assert.Empty(book.TakeDeadLetters());
            var receipt = book.Deliver(Partition, 0, "c1", Visibility);
            Assert.Equal(delivery, receipt.DeliveryCount);
            _clock.Advance(Visibility);
        }

        Assert.Empty(book.RedeliverableOffsets(10));
        var dead = Assert.Single(book.TakeDeadLetters());
        Assert.Equal(0, dead.Offset);
        Assert.Equal(3, dead.DeliveryCount);
        Assert.Equal(DeliveryBook.MaxDeliveriesReason, dead.Reason);
        Assert.Equal(1, book.CommittedOffset);
        Assert.Equal(0, book.InFlightCount);
    }

    [Fact]
    public void Nack_with_requeue_makes_the_message_visible_at_once_and_without_requeue_dead_letters_it()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);
        var r1 = book.Deliver(Partition, 1, "c1", Visibility);

        Assert.True(book.Nack(r0, requeue: true, out var none));
        Assert.Null(none);
        Assert.Equal([0L], book.RedeliverableOffsets(10));
        Assert.Equal(2, book.Deliver(Partition, 0, "c1", Visibility).DeliveryCount);

        Assert.True(book.Nack(r1, requeue: false, out var rejected));
        Assert.Equal(DeliveryBook.RejectedReason, rejected!.Reason);
        Assert.Equal(1, rejected.Offset);
        Assert.False(book.Nack(r1, requeue: true, out _));
    }

    [Fact]
    public void Nack_with_requeue_on_the_last_allowed_delivery_dead_letters()
    {
        var book = NewBook(maxDeliveries: 1);
        book.Claim("c1", 1);
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);

        Assert.True(book.Nack(r0, requeue: true, out var dead));
        Assert.Equal(DeliveryBook.MaxDeliveriesReason, dead!.Reason);
        Assert.Equal(1, book.CommittedOffset);
    }

    [Fact]
    public void Capacity_bounds_unsettled_messages_per_consumer_and_frees_up_on_ack()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        Assert.Equal(3, book.CapacityFor("c1", 3));
        var receipts = Enumerable.Range(0, 3).Select(o => book.Deliver(Partition, o, "c1", Visibility)).ToList();

        Assert.Equal(0, book.CapacityFor("c1", 3));
        Assert.False(book.HasWorkFor("c1", knownEnd: 10, maxInFlight: 3, out _));
        book.Ack(receipts[1]);
        Assert.Equal(1, book.CapacityFor("c1", 3));
        Assert.True(book.HasWorkFor("c1", knownEnd: 10, maxInFlight: 3, out _));
    }

    [Fact]
    public void Only_the_newest_generation_claims_and_a_new_owner_waits_for_the_old_owners_messages()
    {
        var book = NewBook();
        Assert.True(book.Claim("c1", 5));
        Assert.False(book.Claim("c2", 5));
        Assert.False(book.Claim("c2", 4));
        var held = book.Deliver(Partition, 0, "c1", Visibility);

        Assert.True(book.Claim("c2", 6));
        Assert.False(book.Claim("c1", 5));
        Assert.Equal(0, book.CapacityFor("c1", 10)); // no longer the owner
        Assert.Equal(0, book.CapacityFor("c2", 10)); // hand-off: c1 still holds offset 0

        Assert.True(book.Ack(held)); // the old owner may still settle what it holds
        Assert.Equal(10, book.CapacityFor("c2", 10));
    }

    [Fact]
    public void Hand_off_also_ends_when_the_old_owners_visibility_runs_out()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        book.Deliver(Partition, 0, "c1", Visibility);
        book.Claim("c2", 2);
        Assert.False(book.HasWorkFor("c2", knownEnd: 5, maxInFlight: 10, out var nextChange));
        Assert.Equal(_clock.GetUtcNow() + Visibility, nextChange);

        _clock.Advance(Visibility);
        Assert.Equal(10, book.CapacityFor("c2", 10));
        Assert.Equal(2, book.Deliver(Partition, 0, "c2", Visibility).DeliveryCount);
    }

    [Fact]
    public void Release_makes_a_gone_consumers_messages_redeliverable_before_their_visibility_ends()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        book.Deliver(Partition, 0, "c1", TimeSpan.FromHours(1));
        book.Deliver(Partition, 1, "c1", TimeSpan.FromHours(1));

        Assert.Equal(2, book.Release("c1"));
        Assert.Null(book.Owner);
        Assert.True(book.Claim("c2", 2));
        Assert.Equal([0L, 1L], book.RedeliverableOffsets(10));
        Assert.Equal(2, book.Deliver(Partition, 0, "c2", Visibility).DeliveryCount);
    }

    [Fact]
    public void Replay_hands_a_dead_letter_back_with_a_fresh_delivery_count()
    {
        var book = NewBook(maxDeliveries: 1);
        book.Claim("c1", 1);
        book.Deliver(Partition, 0, "c1", Visibility);
        var r1 = book.Deliver(Partition, 1, "c1", Visibility);
        book.Ack(r1);
        _clock.Advance(Visibility);
        Assert.Single(book.TakeDeadLetters());
        Assert.Equal(2, book.CommittedOffset);

        // The dead-letter records say which offsets to take back; 7 was never handed out and is skipped.
        Assert.Equal([0L], book.Replay([0, 7]));
        Assert.Equal([0L], book.Replay([0]).Concat(book.RedeliverableOffsets(10)));
        var again = book.Deliver(Partition, 0, "c1", Visibility);
        Assert.Equal(1, again.DeliveryCount);
        Assert.True(book.Ack(again));
        Assert.Equal(2, book.CommittedOffset);
        Assert.Equal(0, book.InFlightCount);
    }

    [Fact]
    public void New_offsets_stop_at_the_unsettled_window()
    {
        var book = NewBook(maxUnsettled: 3);
        book.Claim("c1", 1);
        Assert.Equal(3, book.NewOffsetsAllowed(100));
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);
        book.Deliver(Partition, 1, "c1", Visibility);
        book.Deliver(Partition, 2, "c1", Visibility);
        Assert.Equal(0, book.NewOffsetsAllowed(100));
        book.Ack(r0);
        Assert.Equal(1, book.NewOffsetsAllowed(100));
    }

    [Fact]
    public void Delivering_an_offset_that_is_neither_next_nor_redeliverable_throws()
    {
        var book = NewBook();
        book.Claim("c1", 1);
        book.Deliver(Partition, 0, "c1", Visibility);
        Assert.Throws<InvalidOperationException>(() => book.Deliver(Partition, 0, "c1", Visibility));
        Assert.Throws<InvalidOperationException>(() => book.Deliver(Partition, 5, "c1", Visibility));
    }

    [Fact]
    public void State_round_trips_everything_a_reactivation_needs()
    {
        var book = NewBook();
        book.Claim("c1", 3);
        var r0 = book.Deliver(Partition, 0, "c1", Visibility);
        book.Deliver(Partition, 1, "c1", Visibility);
        var r2 = book.Deliver(Partition, 2, "c1", Visibility);
        book.Ack(r2);

        var restored = new DeliveryBook(new DeliveryBookSettings(5, 100), _clock, book.ToState());

        Assert.Equal(3, restored.NextOffset);
        Assert.Equal(0, restored.CommittedOffset);
        Assert.Equal(2, restored.InFlightCount);
        Assert.Equal(1, restored.SettledAboveCommitted);
        Assert.True(restored.Claim("c1", 3));
        Assert.True(restored.Ack(r0));
        Assert.Equal(1, restored.CommittedOffset);
    }

    [Fact]
    public void A_book_restored_from_a_state_saved_before_first_deliveries_hands_them_out_again_at_once_as_first_deliveries()
    {
        // What a crash inside the delivery flush window leaves: the state of before the deliveries.
        var book = NewBook();
        book.Claim("c1", 1);
        var saved = book.ToState();
        var lost = Enumerable.Range(0, 3).Select(o => book.Deliver(Partition, o, "c1", Visibility)).ToList();

        var restored = new DeliveryBook(new DeliveryBookSettings(5, 1000), _clock, saved);
        Assert.True(restored.Claim("c2", 2));
        Assert.True(restored.HasWorkFor("c2", knownEnd: 3, maxInFlight: 10, out _));
        Assert.Equal(0, restored.NextOffset);
        Assert.Equal(0, restored.InFlightCount);
        var again = Enumerable.Range(0, 3).Select(o => restored.Deliver(Partition, o, "c2", Visibility)).ToList();

        // Same delivery counts, so the receipts are the forgotten ones: a late ack of a forgotten delivery settles the new one.
        Assert.Equal(lost, again);
        Assert.True(restored.Ack(lost[0]));
        Assert.False(restored.Ack(again[0]));
        Assert.Equal(1, restored.CommittedOffset);
    }

    private DeliveryBook NewBook(int maxDeliveries = 5, int maxUnsettled = 1000) =>
        new(new DeliveryBookSettings(maxDeliveries, maxUnsettled), _clock);
}
