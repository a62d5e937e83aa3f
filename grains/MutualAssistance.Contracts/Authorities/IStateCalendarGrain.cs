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
}
