using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Sealing;

/// <summary>
/// The master keys from configuration (section <c>Sealing</c>): <c>Sealing:MasterKeys:i:Version</c> with the key in
/// <c>Sealing:MasterKeys:i:Key</c> or <c>...:KeyPath</c>, and <c>Sealing:ActiveMasterKey</c>, the version new data
/// keys are wrapped under. A data key is wrapped with AES-256-GCM; the associated data names the request and the
/// master version, so a wrapped key copied to another request's row does not open. Older versions stay listed until
/// rotation has rewrapped every data key (<see cref="MasterKeyRotation"/>), then they are retired by removing them.
/// </summary>
public sealed class MasterKeyRing : IKeyWrapping
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly FrozenDictionary<int, byte[]> keys;

    public MasterKeyRing(IReadOnlyDictionary<int, byte[]> keys, int activeVersion)
    {
        if (!keys.ContainsKey(activeVersion))
        {
            throw new InvalidOperationException($"Setting 'Sealing:ActiveMasterKey' is {activeVersion}, but no 'Sealing:MasterKeys' entry has that version.");
        }

        this.keys = keys.ToFrozenDictionary();
        ActiveVersion = activeVersion;
    }

    public int ActiveVersion { get; }

    /// <summary>
    /// The ring from section <c>Sealing</c>, bound and checked as at start (<see cref="MasterKeyOptions"/>): for the
    /// silo's maintenance commands and tests, which run without the host's container.
    /// </summary>
    public static MasterKeyRing Read(IConfiguration configuration) =>
        From(configuration.GetRequiredOptions<MasterKeyOptions>(MasterKeyOptions.Section));

    /// <summary>The ring the settings describe; a missing, malformed or doubled key stops start-up naming its setting.</summary>
    public static MasterKeyRing From(MasterKeyOptions options)
    {
        var keys = new Dictionary<int, byte[]>();
        foreach (var (entry, i) in options.MasterKeys.Select((entry, i) => (entry, i)))
        {
            var prefix = $"{MasterKeyOptions.Section}:MasterKeys:{i}";
            if (entry.Version < 1)
            {
                throw new InvalidOperationException($"Setting '{prefix}:Version' must be a positive whole number, not '{entry.Version}'.");
            }

            if (!keys.TryAdd(entry.Version, SecretKeySetting.ReadKey($"{prefix}:Key", entry.Key, entry.KeyPath)))
            {
                throw new InvalidOperationException($"Setting '{prefix}:Version': version {entry.Version} is listed twice.");
            }
        }

        return keys.Count == 0
            ? throw new MissingSettingException("Sealing:MasterKeys:0:Version")
            : new MasterKeyRing(keys, options.ActiveMasterKey);
    }

    public bool Holds(int version) => keys.ContainsKey(version);

    public WrappedDataKey Wrap(Guid requestId, ReadOnlySpan<byte> dataKey)
    {
        var output = new byte[NonceBytes + TagBytes + dataKey.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(keys[ActiveVersion], TagBytes);
        aes.Encrypt(output.AsSpan(0, NonceBytes), dataKey, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes), AssociatedData(requestId, ActiveVersion));
        return new WrappedDataKey(ActiveVersion, output);
    }

    public byte[] Unwrap(Guid requestId, WrappedDataKey wrapped)
    {
        if (!keys.TryGetValue(wrapped.MasterVersion, out var master))
        {
            throw new SealedDataException($"Request {requestId}: its data key is wrapped under master key version {wrapped.MasterVersion}, which this node does not hold (retired before the key was rewrapped?).");
        }

        if (wrapped.Bytes.Length <= NonceBytes + TagBytes)
        {
            throw new SealedDataException($"Request {requestId}: its wrapped data key is truncated.");
        }

        var dataKey = new byte[wrapped.Bytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(master, TagBytes);
            aes.Decrypt(wrapped.Bytes.AsSpan(0, NonceBytes), wrapped.Bytes.AsSpan(NonceBytes + TagBytes), wrapped.Bytes.AsSpan(NonceBytes, TagBytes), dataKey, AssociatedData(requestId, wrapped.MasterVersion));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SealedDataException($"Request {requestId}: its data key does not open under master key version {wrapped.MasterVersion} (altered, or another request's).", e);
        }

        return dataKey;
    }

    private static byte[] AssociatedData(Guid requestId, int version) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"ma-data-key|{requestId:N}|{version}"));
}
