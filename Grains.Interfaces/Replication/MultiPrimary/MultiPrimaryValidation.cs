using OrleansSync.Naming;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Input checks shared by the copy grain and any entry point in front of it (HTTP, client), so all reject the same
/// things with an <see cref="ArgumentException"/> naming the parameter.
/// </summary>
public static class MultiPrimaryValidation
{
    /// <summary>Checks a group name and replica count.</summary>
    /// <exception cref="ArgumentException"><paramref name="group"/> breaks the <see cref="ResourceName"/> rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="copies"/> is outside 1–<see cref="MultiPrimaryLimits.MaxCopies"/>.</exception>
    public static void ValidateGroup(string? group, int copies)
    {
        ResourceName.Validate(group, nameof(group));
        ValidateCopies(copies);
    }

    /// <summary>Checks a replica count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="copies"/> is outside 1–<see cref="MultiPrimaryLimits.MaxCopies"/>.</exception>
    public static void ValidateCopies(int copies)
    {
        if (copies is < 1 or > MultiPrimaryLimits.MaxCopies)
        {
            throw new ArgumentOutOfRangeException(nameof(copies), copies, $"copies must be 1–{MultiPrimaryLimits.MaxCopies}.");
        }
    }

    /// <summary>Checks a key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> breaks the <see cref="ResourceName"/> rule.</exception>
    public static void ValidateKey(string? key) => ResourceName.Validate(key, nameof(key));

    /// <summary>Checks write settings.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The copies or required acks are out of range.</exception>
    public static void ValidateWrite(MultiPrimaryWrite? write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ValidateCopies(write.Copies);
        if (write.RequiredAcks < 1 || write.RequiredAcks > write.Copies)
        {
            throw new ArgumentOutOfRangeException(nameof(write), write.RequiredAcks, $"requiredAcks must be 1–{write.Copies} (the replica count).");
        }
    }

    /// <summary>Checks read settings.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="read"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The copies or read copies are out of range.</exception>
    public static void ValidateRead(MultiPrimaryRead? read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ValidateCopies(read.Copies);
        if (read.ReadCopies < 1 || read.ReadCopies > read.Copies)
        {
            throw new ArgumentOutOfRangeException(nameof(read), read.ReadCopies, $"readCopies must be 1–{read.Copies} (the replica count).");
        }
    }

    /// <summary>Checks a register value against <paramref name="maxBytes"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is longer than <paramref name="maxBytes"/> (HTTP 413).</exception>
    public static void ValidateValue(byte[]? value, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > maxBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, $"value is {value.Length} bytes; the limit is {maxBytes}.");
        }
    }

    /// <summary>Checks a counter amount.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive.</exception>
    public static void ValidateAmount(long amount)
    {
        if (amount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "amount must be at least 1.");
        }
    }

    /// <summary>Checks set elements.</summary>
    /// <exception cref="ArgumentException">The list is null, empty, too long, or has a null, empty or too long element.</exception>
    public static void ValidateElements(IReadOnlyList<string>? elements)
    {
        if (elements is null || elements.Count == 0)
        {
            throw new ArgumentException("elements must hold at least one element.", nameof(elements));
        }

        if (elements.Count > MultiPrimaryLimits.MaxElementsPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(elements), elements.Count, $"At most {MultiPrimaryLimits.MaxElementsPerCall} elements per call.");
        }

        for (var i = 0; i < elements.Count; i++)
        {
            if (string.IsNullOrEmpty(elements[i]) || elements[i].Length > MultiPrimaryLimits.MaxElementLength)
            {
                throw new ArgumentException($"elements[{i}] must be 1–{MultiPrimaryLimits.MaxElementLength} characters.", nameof(elements));
            }
        }
    }
}
