namespace MutualAssistance.Contracts.Requests;

/// <summary>A person the request concerns. Personal data: never logged, never traced.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.PersonConcerned")]
public sealed record PersonConcerned
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Nationality { get; init; }
    [Id(2)] public required string Role { get; init; }

    /// <summary>Names of persons stay out of logs even when a record is printed.</summary>
    public override string ToString() => $"PersonConcerned {{ Role = {Role} }}";
}
