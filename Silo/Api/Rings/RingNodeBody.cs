namespace OrleansSync.Silo.Api.Rings;

/// <summary>The body of <c>PUT /v1/rings/{ring}/nodes/{node}</c>; an absent body or weight means weight 1.</summary>
internal sealed record RingNodeBody(int? Weight);
