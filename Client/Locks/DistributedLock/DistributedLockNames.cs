using System.Security.Cryptography;
using System.Text;
using OrleansSync.Naming;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>
/// Maps DistributedLock names (any string) to OrleansSync names: a valid <see cref="ResourceName"/> is used as is,
/// anything else becomes <c>sha256:</c> + the lowercase hex SHA-256 of its UTF-8 bytes (like that library's own
/// backends hash names their store cannot hold).
/// </summary>
internal static class DistributedLockNames
{
    public const string HashPrefix = "sha256:";

    public static string Map(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ResourceName.IsValid(name) && !name.StartsWith(HashPrefix, StringComparison.Ordinal)
            ? name
            : HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }
}
