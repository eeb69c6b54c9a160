namespace OrleansSync.Silo.Health;

/// <summary>Maps <c>GET /healthz</c> and <c>GET /readyz</c>: 200 when <see cref="SiloHealth"/> is healthy, 503 otherwise.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", AnswerAsync);
        endpoints.MapGet("/readyz", AnswerAsync);
        return endpoints;
    }

    private static async Task<IResult> AnswerAsync(SiloHealth health, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
        return report.Healthy
            ? Results.Ok(new { status = report.Status })
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: report.Status);
    }
}
