namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// A consumer of one benchmark stream (key <c>{queue}/{n}</c>), activated by its implicit subscription. It has no
/// methods of its own: events arrive through the stream.
/// </summary>
internal interface IAdoNetBenchConsumerGrain : IGrainWithStringKey;
