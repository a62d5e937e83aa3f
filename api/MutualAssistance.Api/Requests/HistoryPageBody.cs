using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>A page of a request's history, oldest first; <see cref="Next"/> is the cursor of the next page (null: the last).</summary>
public sealed record HistoryPageBody(ImmutableArray<HistoryEntryView> Items, string? Next);
