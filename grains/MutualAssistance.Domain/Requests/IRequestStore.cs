using System.Collections.Immutable;
using MutualAssistance.Domain.History;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// Where a request grain keeps its request: its current state, its append-only history, and its read-model rows,
/// all written by one <see cref="Commit"/> in one transaction.
/// </summary>
public interface IRequestStore
{
    /// <summary>The stored request (without its history), or null when none was filed under <paramref name="id"/>.</summary>
    Task<AssistanceRequest?> Read(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The stored request as last committed, without waiting for a commit in flight (the exchange's relay reads so).</summary>
    Task<AssistanceRequest?> Peek(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends the change's new events, replaces the state and updates the read model, all or nothing, provided the
    /// stored version is still the expected one. Otherwise throws <see cref="Orleans.Storage.InconsistentStateException"/>
    /// and nothing is changed.
    /// </summary>
    Task Commit(RequestChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the request's personal data: replaces the stored state (at the same version) by <paramref name="erased"/>
    /// and destroys its data key, so that every sealed field of it (state, reasons in the history) is unreadable for
    /// good; its person-search entries go too. All or nothing.
    /// </summary>
    Task Erase(AssistanceRequest erased, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> stored events after sequence <paramref name="after"/>, oldest first.</summary>
    Task<ImmutableArray<HistoryEntry>> ReadHistory(Guid id, int after, int limit, CancellationToken cancellationToken = default);
}
