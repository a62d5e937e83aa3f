using System.Security.Cryptography;
using System.Text;

namespace MutualAssistance.Api.Requests;

/// <summary>
/// The id a new request is filed under: derived from the caller's authority and its Idempotency-Key when one is
/// sent (a name-based UUID, RFC 9562 version 5), so that a retry reaches the same grain; otherwise a new
/// time-ordered UUID (version 7).
/// </summary>
public static class RequestIds
{
    private static readonly Guid Namespace = new("3f0c1a52-6a4e-4c64-9d07-4b1f5f2b7e11");

    public static Guid For(string authority, string? idempotencyKey, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return Guid.CreateVersion7(now);
        }

        var name = Encoding.UTF8.GetBytes($"{authority}\n{idempotencyKey}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 UUIDs; it names, it does not protect.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
