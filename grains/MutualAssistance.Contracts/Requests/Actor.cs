namespace MutualAssistance.Contracts.Requests;

/// <summary>Who acts: the authenticated subject, the central authority it acts for, and its role.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.Actor")]
public sealed record Actor
{
    [Id(0)] public required string Subject { get; init; }
    [Id(1)] public required string Authority { get; init; }

    /// <summary>
    /// The role, kept by its wire name: the field has held the name since the first release, so stored history
    /// reads unchanged and its hashes still verify.
    /// </summary>
    [Id(2)] private string roleName = string.Empty;

    public required Role Role
    {
        get => WireNames.TryParse<Role>(roleName, out var role) ? role : throw new InvalidOperationException($"Unknown role '{roleName}'.");
        init => roleName = WireNames.Of(value);
    }
}
