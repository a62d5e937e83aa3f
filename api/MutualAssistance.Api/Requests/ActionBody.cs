using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>The JSON body of <c>POST /api/requests/{id}/actions/{action}</c>; which fields count depends on the action.</summary>
public sealed record ActionBody
{
    public string? Reason { get; init; }
    public string? Grounds { get; init; }
    public DateOnly? Estimate { get; init; }
    public ClockKind? Clock { get; init; }
    public int? Days { get; init; }
    public string? RequestedReference { get; init; }
    public string? ForwardedTo { get; init; }
    public string? Note { get; init; }
    public string? ServedOn { get; init; }
    public DateTimeOffset? ServedAt { get; init; }

    public ActionCommand ToCommand(RequestAction action, int? expectedVersion) => new()
    {
        Action = action,
        Reason = Reason,
        Grounds = Grounds,
        Estimate = Estimate,
        Clock = Clock,
        Days = Days,
        RequestedReference = RequestedReference,
        ForwardedTo = ForwardedTo,
        Note = Note,
        ServedOn = ServedOn,
        ServedAt = ServedAt,
        ExpectedVersion = expectedVersion,
    };
}
