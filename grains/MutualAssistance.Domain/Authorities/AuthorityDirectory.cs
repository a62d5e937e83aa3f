using System.Collections.Frozen;

namespace MutualAssistance.Domain.Authorities;

/// <summary>The central authorities we know, by code.</summary>
public sealed class AuthorityDirectory(IEnumerable<Authority> authorities)
{
    private readonly FrozenDictionary<string, Authority> byCode = authorities.ToFrozenDictionary(a => a.Code, StringComparer.Ordinal);

    public IEnumerable<Authority> All => byCode.Values.OrderBy(a => a.Code, StringComparer.Ordinal);

    public Authority? Find(string code) => byCode.GetValueOrDefault(code);

    public Authority Get(string code) =>
        Find(code) ?? throw new KeyNotFoundException($"Unknown authority '{code}'.");
}
