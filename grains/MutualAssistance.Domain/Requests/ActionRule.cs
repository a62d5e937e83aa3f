using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// One lifecycle action: the side that takes it (null: the side responsible for the clock it names), the
/// statuses it may be taken from, where it leads (null: back to the prior status, or unchanged), and the legal
/// bases it exists under (empty: every basis).
/// </summary>
public sealed record ActionRule(RequestAction Action, Side? Side, ImmutableHashSet<RequestStatus> From, RequestStatus? To, string Meaning)
{
    public ImmutableHashSet<string> OnlyUnder { get; init; } = [];

    public bool ExistsUnder(string basis) => OnlyUnder.IsEmpty || OnlyUnder.Contains(basis);
}
