using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Retention;

/// <summary>
/// The one owner of when an ended request's personal data must go (README "Retention and erasure"). Each state keeps
/// it for a period per legal basis after the request ended (closed, refused, returned unexecuted, withdrawn): the most
/// specific <see cref="RetentionRule"/>, else <see cref="Default"/>. A node keeps its copy for the longest period among
/// the states of the parties it serves (one node serving both keeps it as long as the longer of the two laws asks; a
/// node of a federation follows its own state's). Periods are calendar periods counted in UTC (P5Y: five years to the
/// day, 29 February to 28 February).
/// </summary>
public sealed class RetentionPolicy
{
    public RetentionPolicy(Period @default, IEnumerable<RetentionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(@default);
        Default = @default;
        Rules = [.. rules.OrderByDescending(r => r.Specificity)];
        var duplicate = Rules.GroupBy(r => (r.State, r.LegalBasis)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two retention rules for state '{duplicate.Key.State ?? "*"}' and legal basis '{duplicate.Key.LegalBasis ?? "*"}'.", nameof(rules));
        }
    }

    public Period Default { get; }

    /// <summary>Most specific first.</summary>
    public ImmutableArray<RetentionRule> Rules { get; }

    public Period PeriodFor(string state, string basis) => Rules.FirstOrDefault(r => r.Matches(state, basis))?.Period ?? Default;

    /// <summary>
    /// When this node must erase the request's personal data: the end of the longest period among the states of the
    /// parties it serves, counted from the request's end. Null while it is open, once it is erased, or when this node
    /// serves neither party.
    /// </summary>
    /// <param name="stateOf">The state of an authority, null when the directory does not know it.</param>
    public DateTimeOffset? ErasureDue(AssistanceRequest request, Func<string, string?> stateOf, Func<string, bool> servesHere)
    {
        if (request.ErasedAt is not null || request.EndedAt is not { } ended)
        {
            return null;
        }

        var due = new[] { request.Filed.RequestingAuthority, request.Filed.RequestedAuthority }
            .Where(servesHere)
            .Select(a => stateOf(a) is { } state ? After(ended, PeriodFor(state, request.Basis)) : After(ended, Default))
            .DefaultIfEmpty()
            .Max();
        return due == default ? null : due;
    }

    /// <summary>
    /// The latest end from which a request under <paramref name="basis"/> of a party of <paramref name="state"/> may be
    /// erased at <paramref name="now"/>: ended at or before it. Never later than what <see cref="ErasureDue"/> says
    /// (going back a period and forward again never overshoots), so a sweep that selects by it wakes no request early.
    /// </summary>
    public DateTimeOffset LatestEndErasableAt(string state, string basis, DateTimeOffset now) => Before(now, PeriodFor(state, basis));

    public static DateTimeOffset After(DateTimeOffset at, Period period) =>
        (Instant.FromDateTimeOffset(at).InUtc().LocalDateTime + period).InUtc().ToDateTimeOffset();

    public static DateTimeOffset Before(DateTimeOffset at, Period period) =>
        (Instant.FromDateTimeOffset(at).InUtc().LocalDateTime - period).InUtc().ToDateTimeOffset();
}
