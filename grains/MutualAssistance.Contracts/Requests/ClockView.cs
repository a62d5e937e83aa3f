using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>One deadline clock of a request.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockView")]
public sealed record ClockView
{
    [Id(0)] public required int Id { get; init; }
    [Id(1)] public required ClockKind Kind { get; init; }
    [Id(2)] public required string ResponsibleAuthority { get; init; }
    [Id(3)] public required Side ResponsibleSide { get; init; }
    [Id(4)] public required ClockState State { get; init; }
    [Id(5)] public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the period ends (UTC); null while paused, since it moves with the pause.</summary>
    [Id(6)] public DateTimeOffset? DueAt { get; init; }

    /// <summary><see cref="DueAt"/> in the responsible authority's time zone.</summary>
    [Id(7)] public DateTimeOffset? DueLocal { get; init; }
    [Id(8)] public DateTimeOffset? PausedSince { get; init; }
    [Id(9)] public required ImmutableArray<ExtensionView> Extensions { get; init; }
    [Id(10)] public required ImmutableArray<PauseView> Pauses { get; init; }
    [Id(11)] public required int EscalationLevel { get; init; }

    /// <summary>The period as the rule states it, e.g. "30 calendar days".</summary>
    [Id(12)] public required string Period { get; init; }
    [Id(13)] public required string Source { get; init; }
    [Id(14)] public DateTimeOffset? StoppedAt { get; init; }
    [Id(15)] public DateTimeOffset? BreachedAt { get; init; }
    [Id(16)] public required string TimeZone { get; init; }

    /// <summary>The delays the responsible side reported on this clock, with reasons and a new estimate (EIO art. 12(5)-(6)), oldest first.</summary>
    [Id(17)] public ImmutableArray<DelayNoticeView> DelayNotices { get; init; } = [];

    /// <summary>
    /// True when the due time was computed over a provisional year of the responsible authority's calendar (days
    /// computed from the law, the year's decree awaited) or a year it has no calendar for (weekends only): it may
    /// move when the official schedule is loaded. Open clocks only.
    /// </summary>
    [Id(18)] public bool ProvisionalCalendar { get; init; }

    /// <summary>Why, per year crossed, e.g. "CN 2027 is provisional: …; no calendar for CN 2028: weekends only".</summary>
    [Id(19)] public string? CalendarNote { get; init; }

    /// <summary>
    /// Whether the period is the instrument's (<c>statutory</c>, <see cref="Source"/> cites it) or a <c>target</c> where
    /// the instrument sets none (<see cref="SetBy"/> says who chose it and why); null when the policy no longer has the clock.
    /// </summary>
    [Id(20)] public ClockNature? Nature { get; init; }

    [Id(21)] public string? SetBy { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.DelayNoticeView")]
public sealed record DelayNoticeView
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required string Reason { get; init; }
    [Id(3)] public required DateOnly Estimate { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.ExtensionView")]
public sealed record ExtensionView
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required int Days { get; init; }
    [Id(3)] public required string Reason { get; init; }
    [Id(4)] public DateOnly? Estimate { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.PauseView")]
public sealed record PauseView
{
    [Id(0)] public required DateTimeOffset From { get; init; }
    [Id(1)] public DateTimeOffset? Until { get; init; }
    [Id(2)] public required string By { get; init; }
    [Id(3)] public required string Reason { get; init; }
}
