using System.Text.Json.Serialization;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// <c>ma-exchange/1</c>: a clock's due time as the node of its responsible authority computes it (<see cref="ClockDue"/>).
/// <c>dueAt</c> is required on receipt though it may be null: the domain's constructor required it, and a node of the
/// earlier release refuses a due time without it, so this one does too.
/// </summary>
public sealed record WireClockDue
{
    [JsonPropertyName("clockId")] public required int ClockId { get; init; }
    [JsonPropertyName("dueAt")] public required DateTimeOffset? DueAt { get; init; }

    public static WireClockDue ToWire(ClockDue due) => new() { ClockId = due.ClockId, DueAt = due.DueAt };

    public ClockDue ToDomain() => new(ClockId, DueAt);
}
