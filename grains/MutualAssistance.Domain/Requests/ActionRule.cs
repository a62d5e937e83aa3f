using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Instruments;

using MutualAssistance.Contracts;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// One lifecycle action: the side that takes it (null: the side responsible for the clock it names), the
/// statuses it may be taken from, where it leads (null: back to the prior status, or unchanged), and the legal
/// bases it exists under (empty: every basis), or the duty the basis's instrument must carry for it to exist (data:
/// the instrument file's <c>"duties"</c>).
/// </summary>
public sealed record ActionRule(RequestAction Action, Side? Side, ImmutableHashSet<RequestStatus> From, RequestStatus? To, string Meaning)
{
    public ImmutableHashSet<string> OnlyUnder { get; init; } = [];

    /// <summary>The duty the basis's instrument must carry (the catalogue's <c>duties</c>); null: none.</summary>
    public InstrumentDuty? OnlyWithDuty { get; init; }

    public bool ExistsUnder(string basis, InstrumentCatalogue instruments) =>
        (OnlyUnder.IsEmpty || OnlyUnder.Contains(basis))
        && (OnlyWithDuty is not { } duty || instruments.InstrumentOf(basis)?.Obligation(duty) is not null);

    /// <summary>Why the action does not exist under <paramref name="basis"/>, for the problem a refusal returns.</summary>
    public string NotUnder(string basis) => OnlyWithDuty is { } duty && OnlyUnder.IsEmpty
        ? $"'{WireNames.Of(Action)}' exists only under a basis whose instrument words the duty {WireNames.Of(duty)}; '{basis}' does not."
        : $"'{WireNames.Of(Action)}' exists only under {string.Join(", ", OnlyUnder.Order(StringComparer.Ordinal))}.";
}
