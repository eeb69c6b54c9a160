namespace OrleansSync.Hosting;

/// <summary>Range checks for options setters, so a bad setting fails where it is set rather than at first use.</summary>
internal static class OptionBounds
{
    /// <summary>Returns <paramref name="value"/> when it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">It does not (the parameter is named <c>value</c>, as in a setter).</exception>
    public static T InRange<T>(T value, T min, T max)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max);
        return value;
    }
}
