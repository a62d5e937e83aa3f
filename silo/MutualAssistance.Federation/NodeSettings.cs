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

    /// <summary>
    /// Section <c>Node</c> bound and checked (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>), then built.
    /// Read at registration and not kept as <c>IOptions</c>, as <c>SiloSettings</c> is: whether the node has peers
    /// decides what the silo registers (the listener), and its authorities are checked against the directory there.
    /// </summary>
    public static NodeSettings Read(IConfiguration configuration) =>
        From(configuration.GetRequiredOptions<NodeOptions>(Section));

    /// <summary>The node the settings describe; a missing or malformed one stops start-up naming its setting.</summary>
    public static NodeSettings From(NodeOptions options)
    {
        var id = options.Id;
        var servesAll = options.Authorities.Trim() == AllAuthorities;
        var own = servesAll ? [] : Codes(options.Authorities);
        var peers = new List<Peer>();
        var trusted = new List<TrustedKey>();
        foreach (var (peer, i) in options.Peers.Select((peer, i) => (peer, i)))
        {
            var prefix = $"{Section}:Peers:{i}";
            var url = peer.ExchangeUrl;
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var exchangeUrl) || exchangeUrl.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"Setting '{prefix}:ExchangeUrl' must be an absolute http(s) URL, not '{url}'.");
            }

            peers.Add(new Peer(peer.Id, exchangeUrl, Codes(peer.Authorities)));
            if (peer.Keys.Count == 0)
            {
                throw new MissingSettingException($"{prefix}:Keys:0:PublicKey");
            }

            foreach (var (key, j) in peer.Keys.Select((key, j) => (key, j)))
            {
                var keyPrefix = $"{prefix}:Keys:{j}";
                trusted.Add(new TrustedKey(
                    peer.Id,
                    key.Id,
                    PublicKey(key.PublicKey, $"{keyPrefix}:PublicKey"),
                    Instant(key.NotBefore, $"{keyPrefix}:NotBefore") ?? DateTimeOffset.MinValue,
                    Instant(key.NotAfter, $"{keyPrefix}:NotAfter") ?? DateTimeOffset.MaxValue));
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
            if (options.SigningKeys.Count == 0)
            {
                throw new MissingSettingException($"{Section}:SigningKeys:0:Path");
            }

            signing = [.. options.SigningKeys.Select((key, i) =>
            {
                var keyPrefix = $"{Section}:SigningKeys:{i}";
                return new SigningKey(
                    Required(key.Id, $"{keyPrefix}:Id"),
                    PrivateKey(Required(key.Path, $"{keyPrefix}:Path"), $"{keyPrefix}:Path"),
                    Instant(key.NotBefore, $"{keyPrefix}:NotBefore") ?? DateTimeOffset.MinValue);
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

    /// <summary>A signing key's setting, required only on a node with peers (so not [Required] on the options).</summary>
    private static string Required(string? value, string setting) =>
        string.IsNullOrWhiteSpace(value) ? throw new MissingSettingException(setting) : value;

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
