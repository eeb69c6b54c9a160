namespace OrleansSync.Benchmarks.Hashing;

/// <summary>The splitmix64 finalizer: scrambles a 64-bit value so every input bit affects every output bit.</summary>
internal static class Mix64
{
    public static ulong Mix(ulong value)
    {
        value = unchecked((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL);
        value = unchecked((value ^ (value >> 27)) * 0x94D049BB133111EBUL);
        return value ^ (value >> 31);
    }
}
