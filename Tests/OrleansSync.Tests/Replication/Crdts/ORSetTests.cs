using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

public sealed class ORSetTests
{
    [Fact]
    public void An_add_concurrent_with_a_remove_wins()
    {
        var shared = ORSet.Empty.Add("a", "x");
        var removedOnB = shared.Remove("x");
        var addedAgainOnA = shared.Add("a", "x");
        var addedOnC = ORSet.Empty.Add("c", "x");

        Assert.True(removedOnB.Merge(addedAgainOnA).Contains("x"));
        Assert.True(addedAgainOnA.Merge(removedOnB).Contains("x"));
        Assert.True(removedOnB.Merge(addedOnC).Contains("x"));
        Assert.True(shared.Merge(removedOnB).Merge(addedOnC).Contains("x"));
    }

    [Fact]
    public void A_remove_of_an_observed_add_stays_removed_when_the_add_arrives_again()
    {
        var added = ORSet.Empty.Add("a", "x").Add("a", "y");
        var removed = added.Remove("x");

        Assert.Equal(["y"], removed.Merge(added).Elements);
        Assert.Equal(["y"], added.Merge(removed).Elements);
        Assert.True(added.IsLessOrEqual(removed));
        Assert.False(removed.IsLessOrEqual(added));
    }

    [Fact]
    public void Removed_elements_leave_no_tombstones_and_re_adds_replace_old_tags()
    {
        var set = ORSet.Empty;
        for (var i = 0; i < 100; i++)
        {
            set = set.Add("a", "x").Add("b", "x").Remove("x");
        }

        Assert.Empty(set.Entries);
        Assert.Equal(2, set.Seen.Count);
        var again = set.Add("a", "x").Add("b", "x");
        Assert.Single(again.Entries["x"]);
        Assert.Equal(["x"], again.Elements);
    }
}
