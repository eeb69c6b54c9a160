using OrleansSync.Naming;

namespace OrleansSync.Tests.Naming;

public sealed class ResourceNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("orders/eu-west:42_v1.0")]
    public void Valid_names_pass(string name)
    {
        Assert.True(ResourceName.IsValid(name));
        Assert.Equal(name, ResourceName.Validate(name, "name"));
    }

    [Fact]
    public void The_longest_name_passes_and_one_more_fails()
    {
        Assert.True(ResourceName.IsValid(new string('n', 256)));
        var error = Assert.Throws<ArgumentException>(() => ResourceName.Validate(new string('n', 257), "name"));
        Assert.Equal("name", error.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    [InlineData("ünïcode")]
    [InlineData("semi;colon")]
    public void Invalid_names_fail_naming_the_parameter(string? name)
    {
        Assert.False(ResourceName.IsValid(name));
        var error = Assert.Throws<ArgumentException>(() => ResourceName.Validate(name, "lockName"));
        Assert.Equal("lockName", error.ParamName);
    }
}
