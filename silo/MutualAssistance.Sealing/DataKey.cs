using System.Security.Cryptography;
using System.Text;

namespace MutualAssistance.Sealing;

/// <summary>
/// One request's data key (AES-256-GCM). A sealed value is nonce (12 bytes), tag (16), ciphertext; its associated
/// data names the request and the field (<c>state:{version}</c>, <c>reason:7</c>, and for an exchange record, whose
/// key is its own, <c>command:3</c>, <c>held:7</c>), so a ciphertext moved to another request or another field does
/// not open.
/// </summary>
public sealed class DataKey(Guid requestId, byte[] key)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public Guid RequestId { get; } = requestId;

    public static byte[] NewKeyBytes() => RandomNumberGenerator.GetBytes(32);

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string field)
    {
        var output = new byte[NonceBytes + TagBytes + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(output.AsSpan(0, NonceBytes), plaintext, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes), AssociatedData(field));
        return output;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string field)
    {
        if (sealedValue.Length < NonceBytes + TagBytes)
        {
            throw new SealedDataException($"Request {RequestId}: the sealed {field} is truncated.");
        }

        var plaintext = new byte[sealedValue.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedValue[..NonceBytes], sealedValue[(NonceBytes + TagBytes)..], sealedValue.Slice(NonceBytes, TagBytes), plaintext, AssociatedData(field));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SealedDataException($"Request {RequestId}: the sealed {field} does not open (altered, or moved from another request or field).", e);
        }

        return plaintext;
    }

    private byte[] AssociatedData(string field) => Encoding.UTF8.GetBytes($"ma-sealed|{RequestId:N}|{field}");
}
