using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a stretch during which a clock stood still (<see cref="Pause"/>).</summary>
public sealed record WirePause
{
    [JsonPropertyName("from")] public required DateTimeOffset From { get; init; }
    [JsonPropertyName("until")] public DateTimeOffset? Until { get; init; }
    [JsonPropertyName("by")] public required string By { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("cause")] public required RequestStatus Cause { get; init; }

    public static WirePause ToWire(Pause pause) => new() { From = pause.From, Until = pause.Until, By = pause.By, Reason = pause.Reason, Cause = pause.Cause };

    public Pause ToDomain() => new() { From = From, Until = Until, By = By, Reason = Reason, Cause = Cause };
}
