using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.ReadSide;

/// <summary>
/// The clock states as the read model stores them (their wire names) and the sets its queries select by. The partial
/// indexes of the schema name the same sets (request_clocks_open*); a test checks that they agree. Queries put the
/// sets into their text as literal lists (<see cref="OpenList"/>, <see cref="TickingList"/>), so that the planner
/// matches them to those indexes, which it cannot do for a parameter.
/// </summary>
public static class ClockStates
{
    /// <summary>Clocks that have not stopped: running, paused or breached (deadline boards, the open-clock gauge).</summary>
    public static readonly string[] Open = [.. new[] { ClockState.Running, ClockState.Paused, ClockState.Breached }.Select(s => WireNames.Of(s))];

    /// <summary>Clocks that are ticking now: running or breached (a paused one computes its due time when it resumes).</summary>
    public static readonly string[] Ticking = [.. new[] { ClockState.Running, ClockState.Breached }.Select(s => WireNames.Of(s))];

    /// <summary><see cref="Open"/> as an SQL list: ('running', 'paused', 'breached').</summary>
    public static readonly string OpenList = List(Open);

    /// <summary><see cref="Ticking"/> as an SQL list: ('running', 'breached').</summary>
    public static readonly string TickingList = List(Ticking);

    /// <summary>Puts the lists into a query's text where it says {open} and {ticking}.</summary>
    public static string Fill(string sql) =>
        sql.Replace("{open}", OpenList, StringComparison.Ordinal).Replace("{ticking}", TickingList, StringComparison.Ordinal);

    private static string List(IEnumerable<string> names) => "(" + string.Join(", ", names.Select(n => $"'{n}'")) + ")";
}
