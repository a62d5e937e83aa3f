using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Contracts.Authorities;

/// <summary>
/// One state's calendar as its administrators change it at run time (key: the ISO 3166 state code): the days it
/// declares its offices closed. Only an administrator of an authority of that state may change it; each change is
/// kept with who, when and why, and moves every open clock it affects.
/// </summary>
[Alias("ma.IStateCalendarGrain")]
public interface IStateCalendarGrain : IGrainWithStringKey
{
    [Alias("Declare")]
    Task<ClosureResult> Declare(DateOnly date, string? reason, Actor actor);

    [Alias("Remove")]
    Task<ClosureResult> Remove(DateOnly date, Actor actor);

    /// <summary>Declares the day closed in <paramref name="region"/> only (the state's authorities located there); null region: the whole state, as <see cref="Declare"/>.</summary>
    [Alias("DeclareIn")]
    Task<ClosureResult> DeclareIn(DateOnly date, string? region, string? reason, Actor actor);

    /// <summary>Withdraws the closure of <paramref name="region"/> (null: the state-wide one) on the day.</summary>
    [Alias("RemoveIn")]
    Task<ClosureResult> RemoveIn(DateOnly date, string? region, Actor actor);
}
