using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Grains.History;
using MutualAssistance.Grains.ReadModel;
using MutualAssistance.ReadSide.Rows;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Telemetry;
using Orleans.Runtime;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The durable shell around one <see cref="AssistanceRequest"/>: it applies the rules, commits each change (new
/// events, state and read-model rows in one transaction), answers reads from memory, and keeps one reminder set to
/// the request's next clock event. Every wake-up (activation, reminder tick, <see cref="Wake"/>) evaluates all clocks
/// against the current time, so a late, repeated or skipped tick records each warning, breach and escalation exactly once.
/// </summary>
public sealed partial class AssistanceRequestGrain(
    IRequestStore store,
    [FromKeyedServices(DeadlineTime.Key)] TimeProvider time,
    CurrentReferenceData referenceData,
    RequestMetrics metrics,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IRemindable
{
    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(5);

    /// <summary>The request as stored (no new events), or null when nothing was filed under this id.</summary>
    private AssistanceRequest? current;

    /// <summary>The instant the reminder is set for, as far as this activation knows (null: not known).</summary>
    private DateTimeOffset? reminderFor;

    /// <summary>Retries a reminder update that failed, until it succeeds.</summary>
    private IGrainTimer? reminderRetry;

    private readonly RequestViews views = new();

    private ReferenceDataSet Data => referenceData.Set;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        current = await store.Read(this.GetPrimaryKey(), cancellationToken);
        if (current is { } request)
        {
            var caughtUp = request.ReferenceVersion == Data.Version ? request.Evaluate(time.GetUtcNow(), Data).Request : request.Recalculate(time.GetUtcNow(), Data);
            if (caughtUp.Version != request.Version)
            {
                await Save(caughtUp);
            }
            else
            {
                current = caughtUp;
            }

            await SetReminder(force: true);
        }
    }

    public async Task<FilingResult> File(FileRequest request, Actor actor)
    {
        if (current is { } existing)
        {
            var outcome = existing.IsSameFiling(request) ? FilingOutcome.AlreadyFiled : FilingOutcome.IdTakenByAnotherRequest;
            return new FilingResult { Outcome = outcome, Request = views.Of(existing, actor, Data) };
        }

        var decision = AssistanceRequest.TryFile(this.GetPrimaryKey(), request, actor, time.GetUtcNow(), Data);
        if (decision.Request is not { } filed)
        {
            return new FilingResult { Outcome = decision.Outcome, Errors = decision.Errors, Detail = decision.Detail };
        }

        await Save(filed);
        await SetReminder(force: false);
        metrics.Filed(filed.Filed.LegalBasis);
        LogFiled(filed.Id, filed.Filed.LegalBasis, filed.Clocks.Length);
        return new FilingResult { Outcome = FilingOutcome.Created, Request = views.Of(current!, actor, Data) };
    }

    /// <summary>The request as <paramref name="viewer"/> may see it: nothing unless its authority is a party.</summary>
    public Task<AssistanceRequestView?> Get(Actor? viewer) =>
        Task.FromResult(current is { } request && (viewer is null || request.SideOf(viewer.Authority) is not null)
            ? views.Of(request, viewer, Data)
            : null);

    public async Task<ActionResult> Act(ActionCommand command, Actor actor)
    {
        if (current is not { } request)
        {
            return new ActionResult { Outcome = ActionOutcome.NotFound, Detail = "No such request." };
        }

        var decision = request.Act(command, actor, time.GetUtcNow(), Data);
        if (decision.Outcome == ActionOutcome.Applied)
        {
            await Save(decision.Request);
            await SetReminder(force: false);
        }

        metrics.Action(command.Action, decision.Outcome);
        LogAction(request.Id, command.Action, decision.Outcome);
        var shown = decision.Outcome == ActionOutcome.NotFound ? null : views.Of(current!, actor, Data);
        return new ActionResult { Outcome = decision.Outcome, Request = shown, Errors = decision.Errors, Detail = decision.Detail };
    }

    public async Task<HistoryPage> GetHistory(int after, int limit)
    {
        if (current is null)
        {
            return new HistoryPage { Items = [] };
        }

        limit = Math.Clamp(limit, 1, HistoryPage.MaxLimit);
        var entries = await store.ReadHistory(this.GetPrimaryKey(), Math.Max(after, 0), limit);
        var next = entries.Length == limit && entries[^1].Sequence < current.Head.Sequence ? entries[^1].Sequence : (int?)null;
        return new HistoryPage { Items = [.. entries.Select(e => e.ToView())], Next = next };
    }

    public async Task<HistoryVerification> VerifyHistory()
    {
        if (current is not { } request)
        {
            return HashChain.Verify([]);
        }

        return HashChain.Verify(await ReadAllHistory(), request.Head);
    }

    private async Task<List<HistoryEntry>> ReadAllHistory()
    {
        var all = new List<HistoryEntry>();
        while (true)
        {
            var page = await store.ReadHistory(this.GetPrimaryKey(), all.Count == 0 ? 0 : all[^1].Sequence, HistoryPage.MaxLimit);
            all.AddRange(page);
            if (page.Length < HistoryPage.MaxLimit)
            {
                return all;
            }
        }
    }

    public Task Wake() => CatchUp();

    public async Task<bool> Recalculate(Recalculation cause)
    {
        if (current is not { } request)
        {
            return false;
        }

        await referenceData.CatchUp(cause.ClosuresAtLeast);
        var recalculated = request.Recalculate(time.GetUtcNow(), Data, cause.Reason);
        if (recalculated.Version == request.Version)
        {
            // Nothing moved: remember the data version it was checked against, and write nothing.
            current = recalculated;
            return false;
        }

        await Save(recalculated);
        await SetReminder(force: true);
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineTime.ReminderName)
        {
            return;
        }

        reminderFor = null;
        await CatchUp();
    }

    private async Task CatchUp()
    {
        if (current is not { } request)
        {
            return;
        }

        var (evaluated, recorded) = request.Evaluate(time.GetUtcNow(), Data);
        if (!recorded.IsEmpty)
        {
            await Save(evaluated);
            var now = time.GetUtcNow();
            foreach (var clockEvent in recorded)
            {
                var lateness = now - clockEvent.DueAt;
                metrics.Late(clockEvent, lateness);
                LogClockEvent(request.Id, clockEvent.Kind, clockEvent.Event, clockEvent.Value, lateness);
            }
        }

        await SetReminder(force: false);
    }

    /// <summary>
    /// Commits the next version: its new events, its state and its read-model rows in one transaction. If the commit
    /// fails, this activation is dropped and the caller sees the failure.
    /// </summary>
    private async Task Save(AssistanceRequest next)
    {
        var previous = current;
        try
        {
            await store.Commit(new RequestChange(previous?.Version, next, Projections.Of(next, Data)));
        }
        catch
        {
            // The commit may have landed although it failed here (the connection broke after the commit, say), or
            // another activation wrote first: this activation's memory can no longer be trusted. The next call
            // activates afresh from storage, and a caller told "outcome unknown" then reads what is stored.
            DeactivateOnIdle();
            throw;
        }

        current = next.Stored();
        metrics.Recorded(previous?.Clocks ?? [], next.Clocks);
    }

    /// <summary>
    /// Points the one reminder at the next clock event, or removes it when no clock is ticking. It runs after the
    /// durable write, so it never fails the call: a failed update is logged and retried on a timer until it
    /// succeeds, and meanwhile the sweep wakes the request if its next event falls due.
    /// </summary>
    private async Task SetReminder(bool force)
    {
        try
        {
            await PointReminder(force);
            reminderRetry?.Dispose();
            reminderRetry = null;
        }
        catch (Exception e)
        {
            LogReminderPending(this.GetPrimaryKey(), e.GetType().Name, e.Message);
            reminderRetry ??= this.RegisterGrainTimer(_ => SetReminder(force: true), ReminderRetry, ReminderRetry);
        }
    }

    private async Task PointReminder(bool force)
    {
        var next = current?.NextEventAt(Data);
        if (!force && next == reminderFor)
        {
            return;
        }

        if (next is null)
        {
            if (await this.GetReminder(DeadlineTime.ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        else
        {
            var delay = next.Value - time.GetUtcNow();
            delay = delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay > DeadlineTime.LongestReminderDelay ? DeadlineTime.LongestReminderDelay : delay;
            await this.RegisterOrUpdateReminder(DeadlineTime.ReminderName, delay, DeadlineTime.ReminderRetryPeriod);
        }

        reminderFor = next;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: reminder not updated ({Error}: {Message}); retrying, the sweep covers it meanwhile")]
    private partial void LogReminderPending(Guid requestId, string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} filed under {LegalBasis} with {Clocks} clock(s)")]
    private partial void LogFiled(Guid requestId, LegalBasis legalBasis, int clocks);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Action} -> {Outcome}")]
    private partial void LogAction(Guid requestId, RequestAction action, ActionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Clock} {Event} {Value} recorded {Lateness} after it fell due")]
    private partial void LogClockEvent(Guid requestId, ClockKind clock, Clocks.ClockEventKind @event, int value, TimeSpan lateness);
}
