using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Domain.Federation;

/// <summary>
/// What the following node sends the ordering node to be decided and recorded there, one of: an action a caller took
/// (<see cref="Action"/> by <see cref="Actor"/>); the events of the following node's own clocks that fell due by its
/// clock (<see cref="ClockEvents"/>); or its own clocks' due times as its calendar gives them (<see cref="DueTimes"/>).
/// Numbered per request; the ordering node decides each number once
/// (<see cref="Requests.AssistanceRequest.DecidePeerCommand"/>), in the order sent.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.PeerCommand")]
public sealed record PeerCommand
{
    /// <summary>The kinds of command, as stored and shown: an action's wire name, or one of these.</summary>
    public const string ClockEventsKind = "clock-events";
    public const string DueTimesKind = "due-times";

    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public ActionCommand? Action { get; init; }
    [Id(2)] public Actor? Actor { get; init; }

    /// <summary>The last event the following node had when the command was made.</summary>
    [Id(3)] public required int BasedOn { get; init; }
    [Id(4)] public required DateTimeOffset IssuedAt { get; init; }
    [Id(5)] public ImmutableArray<ClockEvent> ClockEvents { get; init; } = [];
    [Id(6)] public ImmutableArray<ClockDue> DueTimes { get; init; } = [];

    public string Kind => Action is { } action ? Contracts.WireNames.Of(action.Action) : !ClockEvents.IsDefaultOrEmpty ? ClockEventsKind : DueTimesKind;
}

/// <summary>A clock's due time as the node of its responsible authority computes it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockDue")]
public sealed record ClockDue([property: Id(0)] int ClockId, [property: Id(1)] DateTimeOffset? DueAt);
