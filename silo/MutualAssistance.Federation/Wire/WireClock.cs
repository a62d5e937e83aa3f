using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: one deadline clock of the state (<see cref="Clock"/>): its period, pauses, extensions, due time and what it has recorded.</summary>
public sealed record WireClock
{
    [JsonPropertyName("id")] public required int Id { get; init; }
    [JsonPropertyName("kind")] public required ClockKind Kind { get; init; }
    [JsonPropertyName("side")] public required Side Side { get; init; }
    [JsonPropertyName("responsibleAuthority")] public required string ResponsibleAuthority { get; init; }
    [JsonPropertyName("startedAt")] public required DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("period")] public required WirePeriod Period { get; init; }
    [JsonPropertyName("fixedLastDay")] public DateOnly? FixedLastDay { get; init; }
    [JsonPropertyName("state")] public required ClockState State { get; init; }
    [JsonPropertyName("pauses")] public ImmutableArray<WirePause> Pauses { get; init; } = [];
    [JsonPropertyName("extensions")] public ImmutableArray<WireExtension> Extensions { get; init; } = [];
    [JsonPropertyName("dueAt")] public DateTimeOffset? DueAt { get; init; }
    [JsonPropertyName("warningsRecorded")] public ImmutableArray<int> WarningsRecorded { get; init; } = [];
    [JsonPropertyName("breachedAt")] public DateTimeOffset? BreachedAt { get; init; }
    [JsonPropertyName("escalationLevel")] public int EscalationLevel { get; init; }
    [JsonPropertyName("stoppedAt")] public DateTimeOffset? StoppedAt { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }

    public static WireClock ToWire(Clock clock) => new()
    {
        Id = clock.Id,
        Kind = clock.Kind,
        Side = clock.Side,
        ResponsibleAuthority = clock.ResponsibleAuthority,
        StartedAt = clock.StartedAt,
        Period = clock.Period is { } period ? WirePeriod.ToWire(period) : null!,
        FixedLastDay = clock.FixedLastDay,
        State = clock.State,
        Pauses = WireArrays.Map(clock.Pauses, WirePause.ToWire),
        Extensions = WireArrays.Map(clock.Extensions, WireExtension.ToWire),
        DueAt = clock.DueAt,
        WarningsRecorded = clock.WarningsRecorded,
        BreachedAt = clock.BreachedAt,
        EscalationLevel = clock.EscalationLevel,
        StoppedAt = clock.StoppedAt,
        Source = clock.Source,
    };

    public Clock ToDomain() => new()
    {
        Id = Id,
        Kind = Kind,
        Side = Side,
        ResponsibleAuthority = ResponsibleAuthority,
        StartedAt = StartedAt,
        Period = Period?.ToDomain()!,
        FixedLastDay = FixedLastDay,
        State = State,
        Pauses = WireArrays.Map(Pauses, p => p.ToDomain()),
        Extensions = WireArrays.Map(Extensions, e => e.ToDomain()),
        DueAt = DueAt,
        WarningsRecorded = WarningsRecorded,
        BreachedAt = BreachedAt,
        EscalationLevel = EscalationLevel,
        StoppedAt = StoppedAt,
        Source = Source,
    };
}
