using System.Text;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

public sealed class QueueReceiptAndPartitionerTests
{
    [Theory]
    [InlineData("0-0-1", 0, 0L, 1)]
    [InlineData("3-123456789012-17", 3, 123456789012L, 17)]
    public void Receipts_round_trip(string text, int partition, long offset, int count)
    {
        Assert.True(QueueReceipt.TryParse(text, out var receipt));
        Assert.Equal(new QueueReceipt(partition, offset, count), receipt);
        Assert.Equal(text, receipt.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1-2")]
    [InlineData("1-2-0")]
    [InlineData("-1-2-3")]
    [InlineData("a-b-c")]
    [InlineData("1-2-3-4")]
    [InlineData(" 1-2-3")]
    public void Malformed_receipts_are_rejected(string? text)
    {
        Assert.False(QueueReceipt.TryParse(text, out _));
    }

    [Fact]
    public void ParseAll_names_the_bad_entry()
    {
        var ex = Assert.Throws<ArgumentException>(() => QueueReceipt.ParseAll(["0-1-1", "nope"], "receipts"));
        Assert.Contains("receipts[1]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => QueueReceipt.ParseAll([], "receipts"));
    }

    [Fact]
    public void The_same_key_always_maps_to_the_same_partition_and_keys_spread()
    {
        var hits = new int[4];
        for (var i = 0; i < 400; i++)
        {
            var message = new QueueMessage($"id-{i}", $"key-{i}", []);
            var partition = QueuePartitioner.PartitionOf(message, 4);
            Assert.Equal(partition, QueuePartitioner.PartitionOf(message with { Id = "other" }, 4));
            hits[partition]++;
        }

        Assert.All(hits, h => Assert.InRange(h, 60, 140));

        // Pinned: the hash must never change between versions or processes (XxHash64 of UTF-8).
        Assert.Equal(
            (int)(System.IO.Hashing.XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("order-42")) % 4),
            QueuePartitioner.PartitionOf(new QueueMessage(null, "order-42", []), 4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void New_ids_route_to_the_partition_they_were_made_for(int partitions)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var partition = 0; partition < partitions; partition++)
        {
            for (var i = 0; i < 20; i++)
            {
                var id = QueuePartitioner.NewIdIn(partition, partitions);
                Assert.Matches("^[0-9a-f]{32}$", id);
                Assert.Equal(partition, QueuePartitioner.PartitionOf(new QueueMessage(id, null, []), partitions));
                Assert.True(ids.Add(id), $"id {id} was made twice");
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => QueuePartitioner.NewIdIn(partitions, partitions));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueuePartitioner.NewIdIn(-1, partitions));
    }
}
