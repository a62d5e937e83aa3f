using System.Collections.Frozen;

namespace MutualAssistance.Federation;

/// <summary>
/// The peers' public keys by key id. Two keys of one peer may be valid at once (a rotation's overlap): a message
/// names the key it was signed with, and any valid key of the sender's verifies it.
/// </summary>
public sealed class TrustList(IEnumerable<TrustedKey> keys)
{
    private readonly FrozenDictionary<string, TrustedKey> byId = keys.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);

    public TrustedKey? Find(string keyId) => byId.GetValueOrDefault(keyId);
}
