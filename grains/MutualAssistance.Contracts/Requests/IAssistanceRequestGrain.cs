using Orleans.Concurrency;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// One mutual legal assistance request: the only writer of its state. It checks every action against the
/// lifecycle, keeps the deadline clocks, records warnings, breaches and escalations, and keeps a hash-chained history.
/// </summary>
[Alias("ma.IAssistanceRequestGrain")]
public interface IAssistanceRequestGrain : IGrainWithGuidKey
{
    /// <summary>Files the request under this grain's id. Filing the same request again changes nothing.</summary>
    [Alias("File")]
    Task<FilingResult> File(FileRequest request, Actor actor);

    /// <summary>The request with the actions <paramref name="viewer"/> may take, or null when nothing was filed.</summary>
    [Alias("Get")]
    Task<AssistanceRequestView?> Get(Actor? viewer);

    /// <summary>
    /// Takes one lifecycle action; only an <see cref="ActionOutcome.Applied"/> result changed anything. Interleaves
    /// with the grain's other calls: the action itself is taken in the grain's turn, but on a node that follows
    /// another for this request the wait for that node's decision holds no turn, so reads go on being served and a
    /// second action is queued (<see cref="ActionOutcome.Pending"/>) at once.
    /// </summary>
    [Alias("Act")]
    [AlwaysInterleave]
    Task<ActionResult> Act(ActionCommand command, Actor actor);

    /// <summary>
    /// Up to <paramref name="limit"/> history entries after sequence <paramref name="after"/> (0: from the start),
    /// oldest first; empty when nothing was filed.
    /// </summary>
    [Alias("GetHistoryPage")]
    Task<HistoryPage> GetHistory(int after, int limit);

    /// <summary>Recomputes the hash chain over the stored history, and checks it ends at the request's last event.</summary>
    [Alias("VerifyHistory")]
    Task<HistoryVerification> VerifyHistory();

    /// <summary>
    /// Erases the request's personal data on this node for a lawful order or at the end of its retention period
    /// (its data key is destroyed): only an administrator of one of its authorities, only once it has ended. Erasing
    /// an erased request changes nothing.
    /// </summary>
    [Alias("Erase")]
    Task<ActionResult> Erase(Actor actor);

    /// <summary>
    /// Erases the request's personal data on this node when its retention period after it ended has passed (the
    /// retention sweep asks); true when this call erased it, false when it is not due, already erased, or open.
    /// </summary>
    [Alias("ExpireRetention")]
    Task<bool> ExpireRetention();

    /// <summary>Evaluates every clock against the current time and records what fell due (the safety net's call).</summary>
    [Alias("Wake")]
    Task Wake();

    /// <summary>
    /// Recomputes the due times of the open clocks after a change of calendars or policies, recording each move with
    /// the cause; true when a due time moved (and the request was written), false when nothing changed.
    /// </summary>
    [Alias("Recalculate")]
    Task<bool> Recalculate(Recalculation cause);
}
