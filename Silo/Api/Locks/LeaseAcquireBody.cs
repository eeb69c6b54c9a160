namespace OrleansSync.Silo.Api.Locks;

/// <summary>Body of <c>POST …/acquire</c> and <c>POST /v1/elections/{name}/campaign</c>.</summary>
/// <param name="Owner">Who holds it; required, 1–256 characters.</param>
/// <param name="LeaseMs">Lease length; 100–3,600,000, default 30,000.</param>
/// <param name="WaitMs">How long to wait in the FIFO queue; 0–300,000, default 0 (try once).</param>
/// <param name="Mode">Reader-writer locks only: <c>read</c> or <c>write</c>.</param>
/// <param name="Limit">Semaphores only: the count, 1–10,000.</param>
/// <param name="RequestId">Optional GUID; repeating an acquire with the same id is idempotent.</param>
internal sealed record LeaseAcquireBody(string? Owner, long? LeaseMs, long? WaitMs, string? Mode, int? Limit, string? RequestId);
