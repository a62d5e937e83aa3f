using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Federation;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Federation;

/// <summary>
/// The node's settings (section <c>Node</c>, README "Federation"): its id, the authorities it serves, the keys it
/// signs with, and its peers with the keys it trusts. A missing one stops start-up with its name; a node with no
/// peers (the one-node shape) needs no keys.
/// </summary>
public sealed record NodeSettings(NodeMap Map, ImmutableArray<SigningKey> SigningKeys, TrustList Trust)
{
    public const string Section = "Node";

    /// <summary><c>Node:Authorities</c> set to this serves every authority not served by a peer.</summary>
    public const string AllAuthorities = "*";

    public static NodeSettings Read(IConfiguration configuration)
    {
        var id = configuration.GetRequired("Node:Id");
        var authorities = configuration.GetRequired("Node:Authorities");
        var servesAll = authorities.Trim() == AllAuthorities;
        var own = servesAll ? [] : Codes(authorities);
        var peers = new List<Peer>();
        var trusted = new List<TrustedKey>();
        foreach (var section in configuration.GetSection("Node:Peers").GetChildren())
        {
            var prefix = $"Node:Peers:{section.Key}";
            var peerId = configuration.GetRequired($"{prefix}:Id");
            var url = configuration.GetRequired($"{prefix}:ExchangeUrl");
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var exchangeUrl) || exchangeUrl.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"Setting '{prefix}:ExchangeUrl' must be an absolute http(s) URL, not '{url}'.");
            }

            peers.Add(new Peer(peerId, exchangeUrl, Codes(configuration.GetRequired($"{prefix}:Authorities"))));
            var keys = configuration.GetSection($"{prefix}:Keys").GetChildren().ToList();
            if (keys.Count == 0)
            {
                throw new MissingSettingException($"{prefix}:Keys:0:PublicKey");
            }

            foreach (var key in keys)
            {
                var keyPrefix = $"{prefix}:Keys:{key.Key}";
                trusted.Add(new TrustedKey(
                    peerId,
                    configuration.GetRequired($"{keyPrefix}:Id"),
                    PublicKey(configuration.GetRequired($"{keyPrefix}:PublicKey"), $"{keyPrefix}:PublicKey"),
                    Instant(configuration[$"{keyPrefix}:NotBefore"], $"{keyPrefix}:NotBefore") ?? DateTimeOffset.MinValue,
                    Instant(configuration[$"{keyPrefix}:NotAfter"], $"{keyPrefix}:NotAfter") ?? DateTimeOffset.MaxValue));
            }
        }

        if (peers.Select(p => p.Id).Append(id).GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Setting 'Node:Peers': node id '{twice.Key}' is given twice.");
        }

        if (peers.SelectMany(p => p.Authorities).Concat(own).GroupBy(a => a).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new InvalidOperationException($"Settings 'Node:Authorities' and 'Node:Peers': authority '{shared.Key}' is served by two nodes.");
        }

        var signing = ImmutableArray<SigningKey>.Empty;
        if (peers.Count > 0)
        {
            var keys = configuration.GetSection("Node:SigningKeys").GetChildren().ToList();
            if (keys.Count == 0)
            {
                throw new MissingSettingException("Node:SigningKeys:0:Path");
            }

            signing = [.. keys.Select(key =>
            {
                var keyPrefix = $"Node:SigningKeys:{key.Key}";
                return new SigningKey(
                    configuration.GetRequired($"{keyPrefix}:Id"),
                    PrivateKey(configuration.GetRequired($"{keyPrefix}:Path"), $"{keyPrefix}:Path"),
                    Instant(configuration[$"{keyPrefix}:NotBefore"], $"{keyPrefix}:NotBefore") ?? DateTimeOffset.MinValue);
            }).OrderBy(k => k.NotBefore)];
        }

        return new NodeSettings(new NodeMap(id, servesAll, own, peers), signing, new TrustList(trusted));
    }

    /// <summary>Every authority named must be in the directory: a typo stops start-up with the setting's name.</summary>
    public void Validate(AuthorityDirectory directory)
    {
        foreach (var code in Map.Authorities)
        {
            _ = directory.Find(code) ?? throw new InvalidOperationException($"Setting 'Node:Authorities' names '{code}', which is not in the authority directory.");
        }

        foreach (var peer in Map.Peers)
        {
            foreach (var code in peer.Authorities)
            {
                _ = directory.Find(code) ?? throw new InvalidOperationException($"Setting 'Node:Peers' ({peer.Id}) names '{code}', which is not in the authority directory.");
            }
        }
    }

    private static ImmutableArray<string> Codes(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static ECDsa PublicKey(string text, string setting)
    {
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text), out _);
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"Setting '{setting}' must be an ECDSA P-256 public key (base64 SubjectPublicKeyInfo or PEM): {e.Message}");
        }

        return RequireP256(key, setting);
    }

    private static ECDsa PrivateKey(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Setting '{setting}': no key file at '{path}'.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"Setting '{setting}': '{path}' is not a PEM ECDSA private key: {e.Message}");
        }

        return RequireP256(key, setting);
    }

    private static ECDsa RequireP256(ECDsa key, string setting)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new InvalidOperationException($"Setting '{setting}': the key must be on curve P-256 (ES256).");
        }

        return key;
    }

    private static DateTimeOffset? Instant(string? text, string setting) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new InvalidOperationException($"Setting '{setting}' must be an instant (ISO 8601), not '{text}'.");
}
