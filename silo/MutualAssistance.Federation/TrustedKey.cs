using System.Security.Cryptography;

namespace MutualAssistance.Federation;

/// <summary>A peer's public key: which node it speaks for, its id, and when it is valid.</summary>
public sealed record TrustedKey(string Node, string Id, ECDsa Key, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    public bool ValidAt(DateTimeOffset at) => at >= NotBefore && at <= NotAfter;
}
