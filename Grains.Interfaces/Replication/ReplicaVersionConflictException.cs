namespace OrleansSync.Replication;

/// <summary>A conditional write's expected version did not match the key's version. Over HTTP this is a 409.</summary>
[GenerateSerializer, Alias("OrleansSync.Replication.ReplicaVersionConflictException")]
public sealed class ReplicaVersionConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/> of <paramref name="group"/>.</summary>
    public ReplicaVersionConflictException(string group, string key, long expectedVersion, long actualVersion)
        : base($"Key '{key}' of replica group '{group}' is at version {actualVersion}, not the expected {expectedVersion}.")
    {
        Group = group;
        Key = key;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReplicaVersionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ReplicaVersionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ReplicaVersionConflictException()
        : base("The key's version did not match the expected version.")
    {
    }

    /// <summary>The group.</summary>
    [Id(0)]
    public string Group { get; private set; } = string.Empty;

    /// <summary>The key.</summary>
    [Id(1)]
    public string Key { get; private set; } = string.Empty;

    /// <summary>The version the write expected.</summary>
    [Id(2)]
    public long ExpectedVersion { get; private set; }

    /// <summary>The key's version when the write was refused (0 = the key does not exist).</summary>
    [Id(3)]
    public long ActualVersion { get; private set; }
}
