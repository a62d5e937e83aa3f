using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Grains.History;
using MutualAssistance.Grains.ReadModel;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Telemetry;
using Orleans.Runtime;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The durable shell around one <see cref="AssistanceRequest"/>: it applies the rules, persists once per change,
/// answers reads from memory, and keeps one reminder set to the request's next clock event. Every wake-up
/// (activation, reminder tick, <see cref="Wake"/>) evaluates all clocks against the current time, so a late,
/// repeated or skipped tick records each warning, breach and escalation exactly once.
/// </summary>
public sealed partial class AssistanceRequestGrain(
    [PersistentState(stateName: "request", storageName: StorageNames.Requests)]
    IPersistentState<AssistanceRequestState> state,
    [FromKeyedServices(DeadlineTime.Key)] TimeProvider time,
    CurrentReferenceData referenceData,
    IReadModel readModel,
    RequestMetrics metrics,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IRemindable
{
    private static readonly TimeSpan ProjectionRetry = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(5);

    /// <summary>The instant the reminder is set for, as far as this activation knows (null: not known).</summary>
    private DateTimeOffset? reminderFor;

    /// <summary>Retries a read-model update that failed, until it succeeds.</summary>
    private IGrainTimer? projectionRetry;

    /// <summary>Retries a reminder update that failed, until it succeeds.</summary>
    private IGrainTimer? reminderRetry;

    private readonly RequestViews views = new();

    private ReferenceDataSet Data => referenceData.Set;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Request is { } request)
        {
            var caughtUp = request.ReferenceVersion == Data.Version ? request.Evaluate(time.GetUtcNow(), Data).Request : request.Recalculate(time.GetUtcNow(), Data);
            if (caughtUp.Version != request.Version)
            {
                await Save(caughtUp);
            }
            else
            {
                state.State.Request = caughtUp;

                // A crash may have come between the last write and its read-model update.
                await Project();
            }

            await SetReminder(force: true);
        }
    }

    public async Task<FilingResult> File(FileRequest request, Actor actor)
    {
        if (state.State.Request is { } existing)
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
        return new FilingResult { Outcome = FilingOutcome.Created, Request = views.Of(filed, actor, Data) };
    }

    /// <summary>The request as <paramref name="viewer"/> may see it: nothing unless its authority is a party.</summary>
    public Task<AssistanceRequestView?> Get(Actor? viewer) =>
        Task.FromResult(state.State.Request is { } request && (viewer is null || request.SideOf(viewer.Authority) is not null)
            ? views.Of(request, viewer, Data)
            : null);

    public async Task<ActionResult> Act(ActionCommand command, Actor actor)
    {
        if (state.State.Request is not { } request)
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
        var shown = decision.Outcome == ActionOutcome.NotFound ? null : views.Of(decision.Request, actor, Data);
        return new ActionResult { Outcome = decision.Outcome, Request = shown, Errors = decision.Errors, Detail = decision.Detail };
    }

    public Task<ImmutableArray<HistoryEntryView>> GetHistory() =>
        Task.FromResult(state.State.Request is { } request ? request.History.Select(e => e.ToView()).ToImmutableArray() : []);

    public Task<HistoryVerification> VerifyHistory() =>
        Task.FromResult(HashChain.Verify(state.State.Request?.History ?? []));

    public Task Wake() => CatchUp();

    public async Task<bool> Recalculate(Recalculation cause)
    {
        if (state.State.Request is not { } request)
        {
            return false;
        }

        await referenceData.CatchUp(cause.ClosuresAtLeast);
        var recalculated = request.Recalculate(time.GetUtcNow(), Data, cause.Reason);
        if (recalculated.Version == request.Version)
        {
            // Nothing moved: remember the data version it was checked against, and write nothing.
            state.State.Request = recalculated;
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
        if (state.State.Request is not { } request)
        {
            return;
        }

        var (evaluated, recorded) = request.Evaluate(time.GetUtcNow(), Data);
        if (recorded.IsEmpty)
        {
            await Project();
        }
        else
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
    /// Persists the next state together with the read-model update it owes, then applies that update. If the
    /// write fails, memory goes back to what storage holds and the caller sees the failure.
    /// </summary>
    private async Task Save(AssistanceRequest next)
    {
        var (previous, previousOutbox) = (state.State.Request, state.State.Outbox);
        state.State.Request = next;
        state.State.Outbox = RequestProjection.Of(next, Data);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The write may have committed although it failed here (the connection broke after the commit, say),
            // so storage may hold `next`. This activation's memory can no longer be trusted: the next call
            // activates afresh from storage, and a caller told "outcome unknown" then reads what is stored.
            (state.State.Request, state.State.Outbox) = (previous, previousOutbox);
            DeactivateOnIdle();
            throw;
        }

        metrics.Recorded(previous?.Clocks ?? [], next.Clocks);
        await Project();
    }

    /// <summary>Applies the pending read-model update; on failure keeps it pending and retries on a timer.</summary>
    private async Task Project()
    {
        if (state.State.Outbox is not { } pending)
        {
            return;
        }

        try
        {
            await readModel.Apply(pending);
            if (ReferenceEquals(state.State.Outbox, pending))
            {
                state.State.Outbox = null;
            }

            projectionRetry?.Dispose();
            projectionRetry = null;
        }
        catch (Exception e)
        {
            // After the durable write nothing may fail the call: the update stays pending and is retried.
            LogProjectionPending(pending.RequestId, pending.Version, e.Message);
            projectionRetry ??= this.RegisterGrainTimer(_ => Project(), ProjectionRetry, ProjectionRetry);
        }
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
        var next = state.State.Request?.NextEventAt(Data);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} version {Version}: read-model update pending ({Error}); retrying")]
    private partial void LogProjectionPending(Guid requestId, int version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: reminder not updated ({Error}: {Message}); retrying, the sweep covers it meanwhile")]
    private partial void LogReminderPending(Guid requestId, string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} filed under {LegalBasis} with {Clocks} clock(s)")]
    private partial void LogFiled(Guid requestId, LegalBasis legalBasis, int clocks);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Action} -> {Outcome}")]
    private partial void LogAction(Guid requestId, RequestAction action, ActionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Clock} {Event} {Value} recorded {Lateness} after it fell due")]
    private partial void LogClockEvent(Guid requestId, ClockKind clock, Clocks.ClockEventKind @event, int value, TimeSpan lateness);
}
