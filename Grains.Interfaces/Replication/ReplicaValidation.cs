using OrleansSync.Naming;

namespace OrleansSync.Replication;

/// <summary>The input rules of replication, shared by the client, the HTTP API and the grains.</summary>
public static class ReplicaValidation
{
    /// <summary>Checks a group name (the <see cref="ResourceName"/> rule).</summary>
    /// <exception cref="ArgumentException">The name breaks the rule.</exception>
    public static string ValidateGroup(string? group) => ResourceName.Validate(group, "group");

    /// <summary>Checks a key: 1–256 characters of <c>[A-Za-z0-9._:/-]</c>.</summary>
    /// <exception cref="ArgumentException">The key breaks the rule.</exception>
    public static string ValidateKey(string? key) => ResourceName.Validate(key, "key");

    /// <summary>Checks a replica count: <see cref="ReplicaLimits.MinReplicas"/>–<see cref="ReplicaLimits.MaxReplicas"/>.</summary>
    /// <exception cref="ArgumentException">Out of range.</exception>
    public static int ValidateReplicas(int replicas) =>
        replicas is < ReplicaLimits.MinReplicas or > ReplicaLimits.MaxReplicas
            ? throw new ArgumentException($"replicas must be {ReplicaLimits.MinReplicas}–{ReplicaLimits.MaxReplicas}; got {replicas}.", nameof(replicas))
            : replicas;

    /// <summary>Checks a value: not null, at most <see cref="ReplicaLimits.MaxValueBytes"/> bytes.</summary>
    /// <exception cref="ArgumentException">Null or too large.</exception>
    public static byte[] ValidateValue(byte[]? value)
    {
        if (value is null)
        {
            throw new ArgumentException("value must not be null (use Delete to remove a key).", nameof(value));
        }

        return value.Length > ReplicaLimits.MaxValueBytes
            ? throw new ArgumentException($"value is {value.Length} bytes; the limit is {ReplicaLimits.MaxValueBytes}.", nameof(value))
            : value;
    }

    /// <summary>Checks an expected version: null (unconditional) or 0 or more (0 = the key must not exist).</summary>
    /// <exception cref="ArgumentException">Negative.</exception>
    public static long? ValidateExpectedVersion(long? expectedVersion) =>
        expectedVersion is < 0
            ? throw new ArgumentException($"expectedVersion must be 0 or more; got {expectedVersion}.", nameof(expectedVersion))
            : expectedVersion;

    /// <summary>Checks that <paramref name="value"/> is a defined member of <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">Not a defined member.</exception>
    public static T ValidateEnum<T>(T value, string parameterName)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentException($"{parameterName} {value} is not one of {string.Join(", ", Enum.GetNames<T>())}.", parameterName);
}
