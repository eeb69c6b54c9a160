using System.Globalization;

namespace OrleansSync.Queues;

/// <summary>
/// The parsed form of a delivery receipt: <c>{partition}-{offset}-{deliveryCount}</c>, all decimal, non-negative.
/// </summary>
/// <param name="Partition">The partition of the delivered message.</param>
/// <param name="Offset">The offset of the delivered message.</param>
/// <param name="DeliveryCount">Which delivery of the message this receipt belongs to (1 = first).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueReceipt")]
public sealed record QueueReceipt([property: Id(0)] int Partition, [property: Id(1)] long Offset, [property: Id(2)] int DeliveryCount)
{
    /// <summary>Longest receipt text accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>The wire form, e.g. <c>2-1834-1</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Partition}-{Offset}-{DeliveryCount}");

    /// <summary>Parses the wire form; false when <paramref name="text"/> is not a well-formed receipt.</summary>
    public static bool TryParse(string? text, out QueueReceipt receipt)
    {
        receipt = new QueueReceipt(0, 0, 0);
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var parts = text.Split('-');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryCount)
            || deliveryCount < 1)
        {
            return false;
        }

        receipt = new QueueReceipt(partition, offset, deliveryCount);
        return true;
    }

    /// <summary>Parses every receipt or throws.</summary>
    /// <param name="receipts">Receipt texts, 1–<see cref="QueueLimits.MaxReceipts"/> of them.</param>
    /// <param name="parameterName">The parameter or field named in the exception.</param>
    /// <exception cref="ArgumentException">The list is null, empty, too long, or holds a malformed receipt.</exception>
    public static IReadOnlyList<QueueReceipt> ParseAll(IReadOnlyCollection<string>? receipts, string parameterName)
    {
        if (receipts is null || receipts.Count == 0)
        {
            throw new ArgumentException($"{parameterName} must hold at least one receipt.", parameterName);
        }

        if (receipts.Count > QueueLimits.MaxReceipts)
        {
            throw new ArgumentException($"{parameterName} holds {receipts.Count} receipts; the limit is {QueueLimits.MaxReceipts}.", parameterName);
        }

        var parsed = new List<QueueReceipt>(receipts.Count);
        var index = 0;
        foreach (var text in receipts)
        {
            if (!TryParse(text, out var receipt))
            {
                throw new ArgumentException($"{parameterName}[{index}] is not a receipt (expected partition-offset-deliveryCount).", parameterName);
            }

            parsed.Add(receipt);
            index++;
        }

        return parsed;
    }
}
