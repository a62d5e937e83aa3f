using System.Diagnostics.Metrics;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Grains.Telemetry;

/// <summary>
/// The <c>MutualAssistance</c> meter: requests filed, actions by name and outcome, clock events by kind and level,
/// how late each was recorded after it fell due, how far the read model trails, and open clocks by state.
/// Tags carry legal bases, actions, clock kinds and levels: never authorities' cases or persons.
/// </summary>
public sealed class RequestMetrics
{
    public const string MeterName = "MutualAssistance";

    private readonly Counter<long> filed;
    private readonly Counter<long> actions;
    private readonly Counter<long> clockEvents;
    private readonly Histogram<double> lateness;
    private volatile IReadOnlyDictionary<string, long> openClocks = new Dictionary<string, long>();

    public RequestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        filed = meter.CreateCounter<long>("ma.requests.filed", description: "Requests filed or registered.");
        actions = meter.CreateCounter<long>("ma.actions", description: "Lifecycle actions taken, by action and outcome.");
        clockEvents = meter.CreateCounter<long>("ma.clock.events", description: "Warnings, breaches and escalations recorded, by clock kind, event and level.");
        lateness = meter.CreateHistogram<double>("ma.clock.event.lateness", unit: "s", description: "From the instant a clock event fell due to its recording.");
        meter.CreateObservableGauge("ma.clocks.open", ObserveOpenClocks, description: "Open clocks by state, as of the last sweep.");
    }

    public void Filed(string basis) => filed.Add(1, new KeyValuePair<string, object?>("legal_basis", basis));

    public void Action(RequestAction action, ActionOutcome outcome) =>
        actions.Add(1, new KeyValuePair<string, object?>("action", action.ToString()), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    /// <summary>Counts the warnings, breaches and escalation levels that <paramref name="after"/> has recorded and <paramref name="before"/> had not.</summary>
    public void Recorded(IEnumerable<Clock> before, IEnumerable<Clock> after)
    {
        var previous = before.ToDictionary(c => c.Id);
        foreach (var clock in after)
        {
            var was = previous.GetValueOrDefault(clock.Id);
            var kind = clock.Kind.ToString();
            foreach (var _ in clock.WarningsRecorded.Except(was?.WarningsRecorded ?? []))
            {
                clockEvents.Add(1, new System.Diagnostics.TagList { { "clock", kind }, { "event", nameof(ClockEventKind.Warning) }, { "level", 0 } });
            }

            if (clock.BreachedAt is not null && was?.BreachedAt is null)
            {
                clockEvents.Add(1, new System.Diagnostics.TagList { { "clock", kind }, { "event", nameof(ClockEventKind.Breach) }, { "level", 0 } });
            }

            for (var level = (was?.EscalationLevel ?? 0) + 1; level <= clock.EscalationLevel; level++)
            {
                clockEvents.Add(1, new System.Diagnostics.TagList { { "clock", kind }, { "event", nameof(ClockEventKind.Escalation) }, { "level", level } });
            }
        }
    }

    /// <summary>How late a wake-up recorded an event after it fell due.</summary>
    public void Late(ClockEvent clockEvent, TimeSpan late) =>
        lateness.Record(Math.Max(0, late.TotalSeconds), new System.Diagnostics.TagList { { "clock", clockEvent.Kind.ToString() }, { "event", clockEvent.Event.ToString() } });


    /// <summary>Replaces the counts the open-clocks gauge reports (the sweep reads them from the read model).</summary>
    public void OpenClocks(IReadOnlyDictionary<string, long> byState) => openClocks = byState;

    private IEnumerable<Measurement<long>> ObserveOpenClocks() =>
        openClocks.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("state", p.Key)));
}
