namespace OrleansSync.Replication;

/// <summary>The replica group was never configured. Over HTTP this is a 404.</summary>
[GenerateSerializer, Alias("OrleansSync.Replication.ReplicaGroupNotFoundException")]
public sealed class ReplicaGroupNotFoundException : Exception
{
    private ReplicaGroupNotFoundException(string group, string message)
        : base(message)
    {
        Group = group;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReplicaGroupNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ReplicaGroupNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exception for <paramref name="group"/>.</summary>
    public static ReplicaGroupNotFoundException ForGroup(string group) =>
        new(group, $"Replica group '{group}' is not configured (PUT /v1/replicas/{group} or IReplicaService.ConfigureAsync first).");

    /// <summary>Creates the exception with a default message.</summary>
    public ReplicaGroupNotFoundException()
        : base("The replica group is not configured.")
    {
    }

    /// <summary>The group.</summary>
    [Id(0)]
    public string Group { get; private set; } = string.Empty;
}
