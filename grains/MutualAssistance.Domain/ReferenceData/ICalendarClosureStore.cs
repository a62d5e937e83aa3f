using System.Collections.Immutable;
using MutualAssistance.Domain.Calendars;
using NodaTime;

namespace MutualAssistance.Domain.ReferenceData;

/// <summary>
/// Where declared closures are kept: each change is stored with who, when and why, in one transaction with the
/// recalculation it owes the open clocks; <see cref="ClosureChange.Sequence"/> numbers the changes.
/// </summary>
public interface ICalendarClosureStore
{
    /// <summary>Every closure in force and the last change's sequence.</summary>
    Task<(ImmutableArray<DeclaredClosure> Closures, long Sequence)> ReadAll(CancellationToken cancellationToken);

    /// <summary>The last change's sequence (0 when none).</summary>
    Task<long> LatestSequence(CancellationToken cancellationToken);

    /// <summary>Declares <paramref name="closure"/> or changes its reason; null when the same closure was declared already.</summary>
    Task<ClosureChange?> Declare(DeclaredClosure closure, CancellationToken cancellationToken);

    /// <summary>Removes the closure of <paramref name="state"/> (of its <paramref name="region"/>, null: the state-wide one) on <paramref name="date"/>; null when there is none.</summary>
    Task<ClosureChange?> Remove(string state, LocalDate date, string by, string byAuthority, DateTimeOffset at, CancellationToken cancellationToken, string? region = null);
}

/// <summary>One stored change of a state's declared closures.</summary>
public sealed record ClosureChange(long Sequence, DeclaredClosure Closure);
