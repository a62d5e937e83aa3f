using System.Text.Json;
using MutualAssistance.Contracts;

namespace MutualAssistance.Domain.History;

/// <summary>
/// A history entry's payload as <c>request_events.payload</c> keeps it: JSON, camelCase, enums by their wire names,
/// the kind in <c>type</c>, the wording's <c>version</c>. Not hashed (the text it makes is), so its form may change.
/// </summary>
public static class HistoryEventJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true, // jsonb keeps keys in its own order, "type" not first
        Converters = { WireNames.Converter() },
    };

    public static string Write(HistoryEvent what) => JsonSerializer.Serialize(what, Options);

    /// <summary>
    /// The payload in <paramref name="json"/>; null for a row without one, and for one of a later wording than this
    /// release makes or of a kind it does not know (its entry is then read from its text, as a row without one is).
    /// </summary>
    public static HistoryEvent? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HistoryEvent>(json, Options) is { Version: <= HistoryEvent.CurrentVersion } what ? what : null;
        }
        catch (JsonException)
        {
            return null; // a kind a later release records: its text still says what it is
        }
    }

    /// <summary>What a stored row records: its payload, else what its text says (<see cref="HistoryEventText.Read"/>).</summary>
    public static HistoryEvent Of(string? json, string eventName, IReadOnlyList<string> changes) =>
        Read(json) ?? HistoryEventText.Read(eventName, changes);
}
