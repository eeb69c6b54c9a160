namespace OrleansSync.Queues;

/// <summary>The limits a <see cref="DeliveryBook"/> works with.</summary>
/// <param name="MaxDeliveries">A message delivered this often and still unsettled is dead-lettered.</param>
/// <param name="MaxUnsettled">New offsets are handed out only while fewer than this many offsets lie between the committed offset and the next one.</param>
internal sealed record DeliveryBookSettings(int MaxDeliveries, int MaxUnsettled);
