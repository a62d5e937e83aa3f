using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// A page of a request's history, oldest first: the entries after a given sequence, and whether more follow.
/// <see cref="Next"/> is the sequence to continue after (null on the last page).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.HistoryPage")]
public sealed record HistoryPage
{
    /// <summary>The most entries one page holds.</summary>
    public const int MaxLimit = 500;

    /// <summary>The entries a page holds when the caller names no limit.</summary>
    public const int DefaultLimit = 100;

    [Id(0)] public required ImmutableArray<HistoryEntryView> Items { get; init; }
    [Id(1)] public int? Next { get; init; }
}
