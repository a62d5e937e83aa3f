using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: who acted (an event's <c>actor</c>, the state's <c>filedBy</c>, a command's <c>actor</c>); the role by its wire name.</summary>
public sealed record WireActor
{
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("authority")] public required string Authority { get; init; }
    [JsonPropertyName("role")] public required Role Role { get; init; }

    public static WireActor ToWire(Actor actor) => new() { Subject = actor.Subject, Authority = actor.Authority, Role = actor.Role };

    public Actor ToDomain() => new() { Subject = Subject, Authority = Authority, Role = Role };
}
