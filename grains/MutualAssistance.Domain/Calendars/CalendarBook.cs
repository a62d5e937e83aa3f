using System.Collections.Frozen;

namespace MutualAssistance.Domain.Calendars;

/// <summary>The working calendars of every state we know, by ISO 3166 state code.</summary>
public sealed class CalendarBook(IEnumerable<WorkingCalendar> calendars)
{
    private readonly FrozenDictionary<string, WorkingCalendar> byState = calendars.ToFrozenDictionary(c => c.State, StringComparer.Ordinal);

    public IEnumerable<WorkingCalendar> All => byState.Values;

    /// <summary>The state's calendar; a state without one works Monday to Friday with no holidays.</summary>
    public WorkingCalendar For(string state) =>
        byState.TryGetValue(state, out var calendar) ? calendar : new WorkingCalendar(state, []);

    public bool Has(string state) => byState.ContainsKey(state);

    /// <summary>Every calendar with exactly the declared closures of its state.</summary>
    public CalendarBook WithClosures(IReadOnlyCollection<DeclaredClosure> closures) => new(byState.Values.Select(c => c.WithClosures(closures)));
}
