using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.History;

/// <summary>
/// Links history entries: each entry's hash is SHA-256 over the previous hash and the entry's content in a
/// fixed, unambiguous text form, so that changing, removing or reordering any stored entry breaks the chain.
/// </summary>
public static class HashChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// Links <paramref name="entry"/> after <paramref name="head"/>: the next sequence, the previous hash, the digest of
    /// its reason under <paramref name="salt"/> (the request's history salt; null for a request filed before reasons
    /// were sealed), its own hash.
    /// </summary>
    public static HistoryEntry Link(ChainHead head, HistoryEntry entry, string? salt)
    {
        var linked = entry with
        {
            Sequence = head.Sequence + 1,
            PreviousHash = head.Hash,
            ReasonDigest = salt is null || entry.Reason is null ? null : DigestOf(salt, entry.Reason),
        };
        return linked with { Hash = HashOf(linked) };
    }

    /// <summary>A new history salt: 32 random bytes, hex. It is part of the request's sealed state and travels to a peer with it.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// HMAC-SHA256 of <paramref name="reason"/> keyed by the request's history salt: without the salt (sealed, and
    /// destroyed by an erasure) a short reason cannot be guessed back from its digest.
    /// </summary>
    public static string DigestOf(string salt, string reason) =>
        "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(salt), Encoding.UTF8.GetBytes(reason)));

    /// <summary>
    /// Recomputes the chain over <paramref name="history"/>, oldest first. With <paramref name="head"/> (the stored
    /// state's last link) the chain must also end there, so that events cut off the end are caught too. With
    /// <paramref name="salt"/> (the request's history salt, while it holds its personal data) each reason must also
    /// match the digest its hash covers.
    /// </summary>
    public static HistoryVerification Verify(IEnumerable<HistoryEntry> history, ChainHead? head = null, string? salt = null)
    {
        var previous = Genesis;
        var expectedSequence = 1;
        var count = 0;
        foreach (var entry in history)
        {
            count++;
            if (entry.Sequence != expectedSequence || entry.PreviousHash != previous)
            {
                return Broken(count, expectedSequence, "the entry does not follow the one before it (missing, reordered or relinked)");
            }

            if (entry.Hash != HashOf(entry))
            {
                return Broken(count, expectedSequence, "the entry's content does not match its hash");
            }

            // The payload is not hashed (the text is, which a peer on the previous release recomputes): it is bound to
            // the chain by making exactly the text the hash covers.
            if (entry.Payload is { } payload && !payload.Makes(entry.Event, entry.ClockChanges.IsDefault ? [] : entry.ClockChanges))
            {
                return Broken(count, expectedSequence, "the entry's payload does not make the text its hash covers");
            }

            if (salt is not null && entry.Reason is not null && entry.ReasonDigest is { } digest && digest != DigestOf(salt, entry.Reason))
            {
                return Broken(count, expectedSequence, "the entry's reason does not match the digest its hash covers");
            }

            previous = entry.Hash;
            expectedSequence++;
        }

        if (head is not null && (head.Sequence != expectedSequence - 1 || head.Hash != previous))
        {
            return Broken(count, expectedSequence, "the history ends before the request's last recorded event (entries removed from its end)");
        }

        return new HistoryVerification { Intact = true, Entries = count };
    }

    public static string HashOf(HistoryEntry entry)
    {
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value?.Length.ToString(CultureInfo.InvariantCulture) ?? "-").Append(':').Append(value).Append('|');
        Field(entry.PreviousHash);
        Field(entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(entry.Event);
        Field(entry.Actor?.Subject);
        Field(entry.Actor?.Authority);
        Field(entry.Actor is { } actor ? WireNames.Of(actor.Role) : null);
        Field(entry.ReasonDigest ?? entry.Reason);
        Field(entry.StatusBefore?.ToString());
        Field(entry.StatusAfter.ToString());
        foreach (var change in entry.ClockChanges.IsDefault ? [] : entry.ClockChanges)
        {
            Field(change);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static HistoryVerification Broken(int entries, int at, string detail) =>
        new() { Intact = false, Entries = entries, BrokenAt = at, Detail = detail };
}
