namespace OrleansSync.Silo.Health;

/// <summary>The answer of <c>/healthz</c> and <c>/readyz</c>.</summary>
internal sealed record HealthReport(bool Healthy, string Status);
