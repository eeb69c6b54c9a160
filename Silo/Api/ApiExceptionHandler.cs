using Microsoft.AspNetCore.Diagnostics;

namespace OrleansSync.Silo.Api;

/// <summary>
/// Turns exceptions that escape an endpoint into the contract's problem details: bad input → 400,
/// a silo or the database being unavailable → 503. Anything else stays a 500 with no internals shown.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            ArgumentException a => (StatusCodes.Status400BadRequest, "Invalid request", a.Message),
            Microsoft.AspNetCore.Http.BadHttpRequestException b => (b.StatusCode, "Invalid request", b.Message),
            System.Text.Json.JsonException => (StatusCodes.Status400BadRequest, "Invalid JSON", "The request body is not valid JSON for this route."),
            Orleans.Storage.InconsistentStateException =>
                (StatusCodes.Status503ServiceUnavailable, "Unavailable", "The grain moved or its storage write failed; retry."),
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "Unavailable", "The cluster did not answer in time; retry."),
            Npgsql.NpgsqlException => (StatusCodes.Status503ServiceUnavailable, "Unavailable", "The database did not answer; retry."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "The silo failed to process the request."),
        };

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
