namespace OrleansSync.Silo.Api;

/// <summary>
/// RFC 7807 answers with the status codes of the public contract. Validation problems name the field.
/// </summary>
internal static class ApiProblem
{
    /// <summary>400: <paramref name="field"/> is invalid.</summary>
    public static IResult Invalid(string field, string detail) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [detail] },
            detail: detail,
            title: $"Invalid {field}");

    /// <summary>404: the named thing does not exist.</summary>
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>409: a stale token or version.</summary>
    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>413: a body, message or value over its limit.</summary>
    public static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large", detail: detail);

    /// <summary>423: not acquired within the wait.</summary>
    public static IResult Locked(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status423Locked, title: "Not acquired", detail: detail);

    /// <summary>503: a dependency (silo, database) is down; safe to retry later.</summary>
    public static IResult Unavailable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable", detail: detail);
}
