using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Text;

namespace MutualAssistance.Federation;

/// <summary>
/// The signed envelope: COSE_Sign1 (RFC 9052) with ES256 and the key id in the protected header, the payload
/// embedded, through .NET's own System.Security.Cryptography.Cose. The envelope's hash is SHA-256 of the payload.
/// </summary>
public static class CoseEnvelope
{
    public const string MediaType = "application/cose";

    public static byte[] Sign(byte[] payload, SigningKey key)
    {
        var protectedHeaders = new CoseHeaderMap
        {
            [CoseHeaderLabel.KeyIdentifier] = CoseHeaderValue.FromBytes(Encoding.UTF8.GetBytes(key.Id)),
            [CoseHeaderLabel.ContentType] = CoseHeaderValue.FromString("application/json"),
        };
        return CoseSign1Message.SignEmbedded(payload, new CoseSigner(key.Key, HashAlgorithmName.SHA256, protectedHeaders));
    }

    /// <summary>Decodes an envelope and reads the key id it names; <see cref="CryptographicException"/> when it is not a COSE_Sign1 message.</summary>
    public static (CoseSign1Message Message, string? KeyId) Decode(byte[] envelope)
    {
        var message = CoseMessage.DecodeSign1(envelope);
        var keyId = message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.KeyIdentifier, out var value)
            ? Encoding.UTF8.GetString(value.GetValueAsBytes())
            : null;
        return (message, keyId);
    }

    public static string HashOf(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));
}
