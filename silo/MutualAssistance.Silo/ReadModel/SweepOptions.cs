namespace MutualAssistance.Silo.ReadModel;

/// <summary>
/// Settings of the deadline sweep (section <c>Sweep</c>, optional: each has a default, documented in
/// docs/configuration.md, as the sweep is a safety net under the reminders whose pace needs no per-site choice).
/// </summary>
public sealed class SweepOptions
{
    public const string Section = "Sweep";

    /// <summary>How often one silo of the cluster sweeps.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long past its due time an event is left to its reminder before the sweep steps in.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many requests are woken per sweep.</summary>
    public int BatchSize { get; set; } = 1000;
}
