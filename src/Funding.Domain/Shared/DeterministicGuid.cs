using System.Security.Cryptography;
using System.Text;

namespace Funding.Shared;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same business key always gives the same stream id,
/// so creating the same thing twice collides in the event store instead of making a duplicate.
/// </summary>
public static class DeterministicGuid
{
    public static Guid Create(Guid namespaceId, string name)
    {
        Span<byte> namespaceBytes = stackalloc byte[16];
        namespaceId.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[20];
        // One hash object per thread, reused: a new one per call costs more than the hashing (a bulk import asks for
        // several ids per row).
        var sha = Sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(namespaceBytes);
        sha.AppendData(Encoding.UTF8.GetBytes(name));
        sha.GetHashAndReset(hash);

        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }

#pragma warning disable CA5350 // SHA-1 is what version 5 UUIDs are defined with; it is not used for security here.
    [ThreadStatic] static IncrementalHash? Sha1;
#pragma warning restore CA5350
}
