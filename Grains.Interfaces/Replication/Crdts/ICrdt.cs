namespace OrleansSync.Replication.Crdts;

/// <summary>
/// The merge contract of a state-based CRDT (a join semilattice). Implementations are immutable: every operation
/// answers a new state.
/// </summary>
/// <remarks>
/// For all states <c>a</c>, <c>b</c>, <c>c</c> produced by the type's own operations:
/// <list type="bullet">
/// <item><description>commutative: <c>a.Merge(b) == b.Merge(a)</c>;</description></item>
/// <item><description>associative: <c>a.Merge(b).Merge(c) == a.Merge(b.Merge(c))</c>;</description></item>
/// <item><description>idempotent: <c>a.Merge(a) == a</c>;</description></item>
/// <item><description>monotonic: <c>a.IsLessOrEqual(a.Merge(b))</c> and every update <c>u</c> gives <c>a.IsLessOrEqual(u(a))</c>.</description></item>
/// </list>
/// Hence replicas that have merged the same set of states hold equal states, whatever the order and duplication of
/// delivery. Equality (<see cref="IEquatable{T}.Equals(T)"/>) is by content.
/// </remarks>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface ICrdt<TSelf> : IEquatable<TSelf>
    where TSelf : ICrdt<TSelf>
{
    /// <summary>The least state that is greater than or equal to both this state and <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    TSelf Merge(TSelf other);

    /// <summary>Whether this state is below or equal to <paramref name="other"/> in the type's partial order (other has seen everything this one has).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    bool IsLessOrEqual(TSelf other);
}
