namespace MutualAssistance.Api.Apis;

/// <summary>The JSON body of <c>PUT /api/authorities/{code}/calendar/closures/{date}</c>.</summary>
public sealed record ClosureBody
{
    /// <summary>Why the offices are closed (a decision, mourning, weather); required.</summary>
    public string? Reason { get; init; }

    /// <summary>The region whose authorities alone are closed (an authority's location.region); absent: the whole state.</summary>
    public string? Region { get; init; }
}
