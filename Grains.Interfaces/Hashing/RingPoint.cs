using System.Runtime.InteropServices;

namespace OrleansSync.Hashing;

/// <summary>One virtual node: its position on the ring, the node that owns it and which of that node's virtual nodes it is.</summary>
/// <remarks>
/// The three fields share one 16-byte entry (array of structs) so a lookup reads the position and the owner from
/// the same cache line. Points sort by position, then node index, then virtual index, so the order (and with it
/// the owner of every key) is the same however the ring was built.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct RingPoint(ulong Hash, int NodeIndex, int VirtualIndex) : IComparable<RingPoint>
{
    public int CompareTo(RingPoint other)
    {
        int byHash = Hash.CompareTo(other.Hash);
        if (byHash != 0)
        {
            return byHash;
        }

        int byNode = NodeIndex.CompareTo(other.NodeIndex);
        return byNode != 0 ? byNode : VirtualIndex.CompareTo(other.VirtualIndex);
    }
}
