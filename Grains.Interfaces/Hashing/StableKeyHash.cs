using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Unicode;

namespace OrleansSync.Hashing;

/// <summary>
/// The 64-bit hash that places keys and virtual nodes on a <see cref="ConsistentHashRing{TNode}"/>:
/// XXH3 (<see cref="XxHash3"/>, seed 0) over the UTF-8 bytes of the text.
/// </summary>
/// <remarks>
/// The value is the same in every process, machine and .NET version (unlike <see cref="string.GetHashCode()"/>,
/// which is randomised per process), so every process that builds the same ring agrees on every key's owner.
/// Changing this function moves almost every key: the pinned values in the tests exist to catch that.
/// Strings are encoded with <see cref="Encoding.UTF8"/>, which replaces unpaired surrogates with U+FFFD.
/// </remarks>
public static class StableKeyHash
{
    // Keys up to this many chars are encoded on the stack (at most 3 UTF-8 bytes per UTF-16 char);
    // longer keys borrow a pooled buffer so the lookup path never allocates.
    private const int StackallocCharLimit = 256;

    /// <summary>Hashes the UTF-8 encoding of <paramref name="text"/>.</summary>
    /// <param name="text">The text to hash; may be empty.</param>
    /// <returns>The 64-bit XXH3 hash of the UTF-8 bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ulong Hash64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash64(text.AsSpan());
    }

    /// <summary>Hashes the UTF-8 encoding of <paramref name="text"/>.</summary>
    /// <param name="text">The characters to hash; may be empty.</param>
    /// <returns>The 64-bit XXH3 hash of the UTF-8 bytes; equal to <see cref="Hash64(string)"/> of the same characters.</returns>
    public static ulong Hash64(ReadOnlySpan<char> text)
    {
        // Utf8.FromUtf16 is the static transcoder behind Encoding.UTF8 (same U+FFFD replacement) without its
        // virtual dispatch; 3 bytes per char always suffice (a surrogate pair is 2 chars and 4 bytes).
        if (text.Length <= StackallocCharLimit)
        {
            Span<byte> utf8 = stackalloc byte[text.Length * 3];
            Utf8.FromUtf16(text, utf8, out _, out int length);
            return XxHash3.HashToUInt64(utf8[..length]);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(text.Length * 3);
        try
        {
            Utf8.FromUtf16(text, rented, out _, out int length);
            return XxHash3.HashToUInt64(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Hashes raw bytes, for callers that already hold a key as UTF-8.</summary>
    /// <param name="utf8">The bytes to hash; may be empty.</param>
    /// <returns>The 64-bit XXH3 hash; for the UTF-8 bytes of a string it equals <see cref="Hash64(string)"/>.</returns>
    public static ulong Hash64(ReadOnlySpan<byte> utf8) => XxHash3.HashToUInt64(utf8);

    /// <summary>
    /// Hashes virtual node <paramref name="virtualIndex"/> of the node whose id encodes to <paramref name="utf8NodeId"/>:
    /// XXH3 of the id bytes with the virtual index as the seed.
    /// </summary>
    /// <remarks>
    /// Seeding with the index (rather than hashing "id#index") hashes the id's bytes without building a string per
    /// virtual node, and keeps virtual node i of a node in the same place whatever the node's weight, so raising
    /// or lowering a weight only adds or removes points.
    /// </remarks>
    internal static ulong VirtualNodeHash(ReadOnlySpan<byte> utf8NodeId, int virtualIndex) =>
        XxHash3.HashToUInt64(utf8NodeId, virtualIndex);
}
