using OrleansSync.Naming;

namespace OrleansSync.Silo.Api;

/// <summary>
/// Reads a name from a route value. ASP.NET Core leaves <c>%2F</c> encoded in route values, so a name
/// holding '/' arrives encoded and is decoded here before validation.
/// </summary>
internal static class RouteName
{
    /// <summary>Decodes and validates; returns false with a 400 problem naming <paramref name="field"/> when invalid.</summary>
    public static bool TryRead(string? raw, string field, out string name, out IResult? problem)
    {
        name = Uri.UnescapeDataString(raw ?? string.Empty);
        if (ResourceName.IsValid(name))
        {
            problem = null;
            return true;
        }

        try
        {
            ResourceName.Validate(name, field);
            problem = ApiProblem.Invalid(field, "invalid name");
        }
        catch (ArgumentException ex)
        {
            problem = ApiProblem.Invalid(field, ex.Message.Split(" (Parameter", 2)[0]);
        }

        return false;
    }
}
