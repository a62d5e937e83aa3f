namespace MutualAssistance.ReadSide.Queries;

/// <summary>One open clock on an authority's deadline board.</summary>
public sealed record DeadlineItem
{
    public required Guid RequestId { get; init; }
    public required string Subject { get; init; }
    public required string PartnerAuthority { get; init; }

    /// <summary>The caller's side in the request: requesting or requested.</summary>
    public required string Side { get; init; }
    public required string Clock { get; init; }
    public required int ClockId { get; init; }
    public required string ResponsibleAuthority { get; init; }
    public required string ResponsibleSide { get; init; }
    public required string Status { get; init; }
    public required string LegalBasis { get; init; }
    public required string State { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? DueLocal { get; init; }
    public string? TimeZone { get; init; }
    public required bool Overdue { get; init; }
    public Span? OverdueBy { get; init; }
    public Span? Remaining { get; init; }
    public required int EscalationLevel { get; init; }

    /// <summary>The due time crossed a provisional or missing year of the responsible calendar and may move (the request's clock says why).</summary>
    public bool ProvisionalCalendar { get; init; }

    /// <summary>A length of time in working days of the responsible calendar, and in hours.</summary>
    public sealed record Span(int WorkingDays, double Hours);
}

public sealed record DeadlinePage(IReadOnlyList<DeadlineItem> Items, string? NextCursor, DateTimeOffset AsOf);
