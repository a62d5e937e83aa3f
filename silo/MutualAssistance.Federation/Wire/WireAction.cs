using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a command's <c>action</c>, the lifecycle action a caller took on the following node (<see cref="ActionCommand"/>).</summary>
public sealed record WireAction
{
    [JsonPropertyName("action")] public required RequestAction Action { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("grounds")] public string? Grounds { get; init; }
    [JsonPropertyName("estimate")] public DateOnly? Estimate { get; init; }
    [JsonPropertyName("clock")] public ClockKind? Clock { get; init; }
    [JsonPropertyName("days")] public int? Days { get; init; }
    [JsonPropertyName("requestedReference")] public string? RequestedReference { get; init; }
    [JsonPropertyName("forwardedTo")] public string? ForwardedTo { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
    [JsonPropertyName("expectedVersion")] public int? ExpectedVersion { get; init; }
    [JsonPropertyName("servedOn")] public string? ServedOn { get; init; }
    [JsonPropertyName("servedAt")] public DateTimeOffset? ServedAt { get; init; }

    public static WireAction ToWire(ActionCommand action) => new()
    {
        Action = action.Action,
        Reason = action.Reason,
        Grounds = action.Grounds,
        Estimate = action.Estimate,
        Clock = action.Clock,
        Days = action.Days,
        RequestedReference = action.RequestedReference,
        ForwardedTo = action.ForwardedTo,
        Note = action.Note,
        ExpectedVersion = action.ExpectedVersion,
        ServedOn = action.ServedOn,
        ServedAt = action.ServedAt,
    };

    public ActionCommand ToDomain() => new()
    {
        Action = Action,
        Reason = Reason,
        Grounds = Grounds,
        Estimate = Estimate,
        Clock = Clock,
        Days = Days,
        RequestedReference = RequestedReference,
        ForwardedTo = ForwardedTo,
        Note = Note,
        ExpectedVersion = ExpectedVersion,
        ServedOn = ServedOn,
        ServedAt = ServedAt,
    };
}
