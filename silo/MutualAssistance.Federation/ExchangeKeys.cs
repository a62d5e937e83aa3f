using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// Signs this node's messages and verifies its peers': the signing key in force now (the newest whose start has
/// passed, so a rotation needs no restart), and the trust list.
/// </summary>
public sealed class ExchangeKeys(NodeSettings settings, TimeProvider time)
{
    public NodeMap Nodes => settings.Map;

    /// <summary>The signed envelope of <paramref name="message"/>, and its hash (SHA-256 of the payload) that the receipt will quote.</summary>
    public (byte[] Envelope, string Hash) Sign(ExchangeMessage message)
    {
        var now = time.GetUtcNow();
        var key = settings.SigningKeys.LastOrDefault(k => k.NotBefore <= now)
            ?? throw new InvalidOperationException($"Node {settings.Map.NodeId} has no signing key in force (setting 'Node:SigningKeys').");
        var payload = ExchangeJson.Write(message);
        return (CoseEnvelope.Sign(payload, key), CoseEnvelope.HashOf(payload));
    }

    /// <summary>Checks an envelope: a COSE_Sign1 message, a key id this node trusts and in force now, a valid signature.</summary>
    public Verified Verify(byte[] envelope)
    {
        System.Security.Cryptography.Cose.CoseSign1Message message;
        string? keyId;
        try
        {
            (message, keyId) = CoseEnvelope.Decode(envelope);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            return Verified.Refused(ExchangeRefusal.NotAnEnvelope, $"Not a COSE_Sign1 message: {e.Message}");
        }

        if (keyId is null)
        {
            return Verified.Refused(ExchangeRefusal.MissingKeyId, "The protected header names no key id (kid).");
        }

        if (settings.Trust.Find(keyId) is not { } trusted)
        {
            return Verified.Refused(ExchangeRefusal.UnknownKey, $"Key '{keyId}' is not in this node's trust list.");
        }

        if (!trusted.ValidAt(time.GetUtcNow()))
        {
            return Verified.Refused(ExchangeRefusal.KeyNotInForce, $"Key '{keyId}' of node {trusted.Node} is valid from {trusted.NotBefore:O} to {trusted.NotAfter:O}.");
        }

        bool valid;
        try
        {
            valid = message.Content is not null && message.VerifyEmbedded(trusted.Key);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            return Verified.Refused(ExchangeRefusal.BadSignature, $"The signature does not verify: {e.Message}");
        }

        return valid
            ? new Verified(trusted.Node, message.Content!.Value.ToArray(), null, null)
            : Verified.Refused(ExchangeRefusal.BadSignature, $"The signature does not verify with key '{keyId}'.");
    }
}

/// <summary>An envelope checked by <see cref="ExchangeKeys.Verify"/>: the node whose key signed it and the payload, or why it was refused.</summary>
public sealed record Verified(string? Node, byte[]? Payload, ExchangeRefusal? Refusal, string? Detail)
{
    public static Verified Refused(ExchangeRefusal refusal, string detail) => new(null, null, refusal, detail);
}
