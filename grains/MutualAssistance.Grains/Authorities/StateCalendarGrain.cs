using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.ReferenceData;
using NodaTime;

namespace MutualAssistance.Grains.Authorities;

/// <summary>
/// One state's run-time calendar changes (key: the state code): one activation per state orders its changes; each
/// is stored with who, when and why together with the recalculation it owes the open clocks, which the silos'
/// reference-change processor carries out.
/// </summary>
public sealed class StateCalendarGrain(ICalendarClosureStore store, CurrentReferenceData referenceData, TimeProvider time) : Grain, IStateCalendarGrain
{
    private string State => this.GetPrimaryKeyString();

    public Task<ClosureResult> Declare(DateOnly date, string? reason, Actor actor) =>
        Change(date, null, reason, actor, declaring: true);

    public Task<ClosureResult> Remove(DateOnly date, Actor actor) =>
        Change(date, null, null, actor, declaring: false);

    public Task<ClosureResult> DeclareIn(DateOnly date, string? region, string? reason, Actor actor) =>
        Change(date, Region(region), reason, actor, declaring: true);

    public Task<ClosureResult> RemoveIn(DateOnly date, string? region, Actor actor) =>
        Change(date, Region(region), null, actor, declaring: false);

    private static string? Region(string? region) => string.IsNullOrWhiteSpace(region) ? null : region.Trim();

    private async Task<ClosureResult> Change(DateOnly date, string? region, string? reason, Actor actor, bool declaring)
    {
        if (ClosureRules.Refusal(State, actor, referenceData.Set) is { } refusal)
        {
            return new ClosureResult { Outcome = ClosureOutcome.Forbidden, Detail = refusal };
        }

        var now = time.GetUtcNow();
        var day = LocalDate.FromDateOnly(date);
        if (ClosureRules.Check(day, reason, declaring, now, State, region, referenceData.Set) is { Count: > 0 } errors)
        {
            return new ClosureResult { Outcome = ClosureOutcome.Invalid, Errors = errors, Detail = "The closure breaks a rule; nothing changed." };
        }

        var change = declaring
            ? await store.Declare(new DeclaredClosure(State, day, reason!.Trim(), actor.Subject, actor.Authority, now, region), CancellationToken.None)
            : await store.Remove(State, day, actor.Subject, actor.Authority, now, CancellationToken.None, region);
        if (change is null)
        {
            var current = referenceData.Set.Calendars.For(State).DeclaredClosures.FirstOrDefault(c => c.Date == day && string.Equals(c.Region, region, StringComparison.Ordinal));
            return declaring
                ? new ClosureResult { Outcome = ClosureOutcome.Unchanged, Closure = current is null ? null : ClosureViews.Of(current) }
                : new ClosureResult { Outcome = ClosureOutcome.NotDeclared, Detail = $"No closure of {State}{(region is null ? string.Empty : $" ({region})")} is declared on {date:yyyy-MM-dd}." };
        }

        await referenceData.CatchUp(change.Sequence);
        return new ClosureResult { Outcome = declaring ? ClosureOutcome.Declared : ClosureOutcome.Removed, Closure = ClosureViews.Of(change.Closure) };
    }
}
