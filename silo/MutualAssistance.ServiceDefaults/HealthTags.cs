namespace MutualAssistance.ServiceDefaults;

public static class HealthTags
{
    /// <summary>Checks of the process alone: never grains, never storage.</summary>
    public const string Live = "live";

    /// <summary>Checks that the host can do its work: cluster and database reachable.</summary>
    public const string Ready = "ready";
}
