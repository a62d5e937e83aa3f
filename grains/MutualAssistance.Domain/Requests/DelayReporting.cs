using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The clocks on which the action <c>inform-delay</c> reports a delay: Directive 2014/41/EU art. 12(5) (the decision on
/// recognition: where the 30 days or the issuing authority's date cannot be met, the executing authority informs the
/// issuing authority without delay, by any means, giving the reasons for the delay and the estimated time needed) and
/// art. 12(6) (the execution's 90 days: the same, and it consults on the timing). The one owner of that list; the
/// action exists only under the EIO (<see cref="Lifecycle"/>).
/// </summary>
public static class DelayReporting
{
    public static readonly ImmutableArray<ClockKind> Clocks = [ClockKind.Decision, ClockKind.Execution];
}
