using System.Security.Cryptography;

namespace MutualAssistance.Federation;

/// <summary>One of this node's signing keys (ECDSA P-256): the newest whose <see cref="NotBefore"/> has passed signs.</summary>
public sealed record SigningKey(string Id, ECDsa Key, DateTimeOffset NotBefore);
