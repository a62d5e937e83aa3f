using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a person the request concerns (personal data: never logged, never printed, as <see cref="PersonConcerned"/>).</summary>
public sealed record WirePerson
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("nationality")] public string? Nationality { get; init; }
    [JsonPropertyName("role")] public required string Role { get; init; }

    public static WirePerson ToWire(PersonConcerned person) => new() { Name = person.Name, Nationality = person.Nationality, Role = person.Role };

    public PersonConcerned ToDomain() => new() { Name = Name, Nationality = Nationality, Role = Role };

    /// <summary>Names of persons stay out of logs even when a record is printed.</summary>
    public override string ToString() => $"WirePerson {{ Role = {Role} }}";
}
