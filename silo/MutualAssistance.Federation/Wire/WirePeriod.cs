using System.Text.Json.Serialization;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a clock's <c>period</c> (<see cref="DeadlinePeriod"/>); both fields required, as the domain's constructor required them.</summary>
public sealed record WirePeriod
{
    [JsonPropertyName("amount")] public required int Amount { get; init; }
    [JsonPropertyName("unit")] public required PeriodUnit Unit { get; init; }

    public static WirePeriod ToWire(DeadlinePeriod period) => new() { Amount = period.Amount, Unit = period.Unit };

    public DeadlinePeriod ToDomain() => new(Amount, Unit);
}
