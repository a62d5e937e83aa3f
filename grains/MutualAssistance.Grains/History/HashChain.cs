using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Grains.History;

/// <summary>
/// Links history entries: each entry's hash is SHA-256 over the previous hash and the entry's content in a
/// fixed, unambiguous text form, so that changing, removing or reordering any stored entry breaks the chain.
/// </summary>
public static class HashChain
{
    public static readonly string Genesis = new('0', 64);

    public static ImmutableArray<HistoryEntry> Append(ImmutableArray<HistoryEntry> history, HistoryEntry entry)
    {
        var previous = history.IsDefaultOrEmpty ? Genesis : history[^1].Hash;
        var sequence = history.IsDefaultOrEmpty ? 1 : history[^1].Sequence + 1;
        var linked = entry with { Sequence = sequence, PreviousHash = previous };
        return (history.IsDefault ? [] : history).Add(linked with { Hash = HashOf(linked) });
    }

    public static HistoryVerification Verify(ImmutableArray<HistoryEntry> history)
    {
        var previous = Genesis;
        var expectedSequence = 1;
        foreach (var entry in history.IsDefault ? [] : history)
        {
            if (entry.Sequence != expectedSequence || entry.PreviousHash != previous)
            {
                return Broken(history, expectedSequence, "the entry does not follow the one before it (missing, reordered or relinked)");
            }

            if (entry.Hash != HashOf(entry))
            {
                return Broken(history, expectedSequence, "the entry's content does not match its hash");
            }

            previous = entry.Hash;
            expectedSequence++;
        }

        return new HistoryVerification { Intact = true, Entries = history.IsDefault ? 0 : history.Length };
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
        Field(entry.Reason);
        Field(entry.StatusBefore?.ToString());
        Field(entry.StatusAfter.ToString());
        foreach (var change in entry.ClockChanges.IsDefault ? [] : entry.ClockChanges)
        {
            Field(change);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static HistoryVerification Broken(ImmutableArray<HistoryEntry> history, int at, string detail) =>
        new() { Intact = false, Entries = history.Length, BrokenAt = at, Detail = detail };
}
