using System.Globalization;

namespace OrleansSync.Queues;

/// <summary>
/// Grain keys of the queue grains. Names follow the resource-name rule, which excludes '|', so joining with '|' is
/// unambiguous.
/// </summary>
internal static class QueueKeys
{
    private const char Separator = '|';

    public static string Partition(string queue, int partition) => string.Create(CultureInfo.InvariantCulture, $"{queue}{Separator}{partition}");

    public static string Group(string queue, string group) => $"{queue}{Separator}{group}";

    public static string GroupPartition(string queue, string group, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{queue}{Separator}{group}{Separator}{partition}");

    public static (string Queue, int Partition) ParsePartition(string key)
    {
        var parts = key.Split(Separator);
        return (parts[0], int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    public static (string Queue, string Group) ParseGroup(string key)
    {
        var parts = key.Split(Separator);
        return (parts[0], parts[1]);
    }

    public static (string Queue, string Group, int Partition) ParseGroupPartition(string key)
    {
        var parts = key.Split(Separator);
        return (parts[0], parts[1], int.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
