using System.Text.Json.Serialization;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: an extension granted to a clock (<see cref="Extension"/>).</summary>
public sealed record WireExtension
{
    [JsonPropertyName("at")] public required DateTimeOffset At { get; init; }
    [JsonPropertyName("by")] public required string By { get; init; }
    [JsonPropertyName("days")] public required int Days { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("estimate")] public DateOnly? Estimate { get; init; }

    public static WireExtension ToWire(Extension extension) => new() { At = extension.At, By = extension.By, Days = extension.Days, Reason = extension.Reason, Estimate = extension.Estimate };

    public Extension ToDomain() => new() { At = At, By = By, Days = Days, Reason = Reason, Estimate = Estimate };
}
