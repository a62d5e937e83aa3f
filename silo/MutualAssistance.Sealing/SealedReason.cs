using System.Globalization;
using System.Text;

namespace MutualAssistance.Sealing;

/// <summary>
/// How an event's reason is kept in <c>request_events.reason</c>: <c>\u001Fsealed:1:</c>, the reason's digest (the
/// one its hash covers, readable after erasure so the chain still verifies), <c>:</c>, and the reason sealed under the
/// request's data key as base64 (field <c>reason:{sequence}</c>, so a reason moved to another event does not open).
/// The first character is a control character, which no reason may contain (the API refuses them), so a reason
/// stored in the clear before sealing is never taken for a sealed one.
/// </summary>
public static class SealedReason
{
    private const string Mark = "\u001Fsealed:1:";

    public static string Seal(DataKey key, int sequence, string reason, string? digest) =>
        Mark + digest + ":" + Convert.ToBase64String(key.Seal(Encoding.UTF8.GetBytes(reason), Field(sequence)));

    /// <summary>An event of an erased request: its reason's digest only (the chain covers it), no reason.</summary>
    public static string? DigestOnly(string? digest) => digest is null ? null : Mark + digest + ":";

    /// <summary>
    /// The reason and its digest as stored: a sealed one opened with <paramref name="key"/> (no key: erased, the
    /// reason is null and the digest stays), a reason from before sealing as it is (no digest).
    /// </summary>
    public static (string? Reason, string? Digest) Open(Guid requestId, DataKey? key, int sequence, string? stored)
    {
        if (stored is null || !stored.StartsWith(Mark, StringComparison.Ordinal))
        {
            return (stored, null);
        }

        var separator = stored.LastIndexOf(':');
        var digest = stored[Mark.Length..separator];
        var digestOrNull = digest.Length == 0 ? null : digest;
        if (key is null)
        {
            return (null, digestOrNull);
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored[(separator + 1)..]);
        }
        catch (FormatException e)
        {
            throw new SealedDataException($"Request {requestId}: the sealed reason of event {sequence} is malformed.", e);
        }

        return (Encoding.UTF8.GetString(key.Open(sealedBytes, Field(sequence))), digestOrNull);
    }

    private static string Field(int sequence) => string.Create(CultureInfo.InvariantCulture, $"reason:{sequence}");
}
