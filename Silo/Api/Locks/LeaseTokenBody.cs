namespace OrleansSync.Silo.Api.Locks;

/// <summary>Body of <c>renew</c>, <c>release</c> and <c>resign</c>.</summary>
/// <param name="Token">The fencing token of the grant; required.</param>
/// <param name="LeaseMs">Renew only: the new lease length; 100–3,600,000, default 30,000.</param>
internal sealed record LeaseTokenBody(long? Token, long? LeaseMs);
