using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// A role in which this node decides and records the request's events itself: a local request, and a shared one it
/// orders. Actions, clock events and recalculations are decided here alike; the two differ only in the peer (the
/// outbox mark, the exchange view, whose clocks are this node's) and in the ordering node's answers to the peer.
/// </summary>
internal abstract partial class DecidingRole(IRequestShell shell, TimeProvider time, RequestMetrics metrics, ILogger logger) : IRequestRole
{
    protected IRequestShell Shell { get; } = shell;

    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    public abstract Placement Placement { get; }

    public abstract OutboxMark? RecordedHere { get; }

    public abstract bool ResponsibleHere(string authority);

    public abstract Task<AssistanceRequestView> Shown(AssistanceRequestView view);

    public abstract Task<PeerCommandReply> Decide(AssistanceRequest request, PeerCommand command, string sender);

    public abstract string? Refuses(SharedChange change, string sender);

    public abstract Task Received(bool isNew);

    public async Task Activated(AssistanceRequest request)
    {
        var caughtUp = request.ReferenceVersion == Shell.Data.Version ? request.Evaluate(Time.GetUtcNow(), Shell.Data, ResponsibleHere).Request : request.Recalculate(Time.GetUtcNow(), Shell.Data, responsibleHere: ResponsibleHere);
        if (caughtUp.Version != request.Version)
        {
            await Shell.Save(caughtUp);
        }
        else
        {
            Shell.Keep(caughtUp);
        }

        await Shell.SetReminder(force: true);
    }

    public async Task<ActionStep> TakeAction(AssistanceRequest request, ActionCommand command, Actor actor)
    {
        var decision = request.Act(command, actor, Time.GetUtcNow(), Shell.Data, ResponsibleHere);
        if (decision.Outcome == ActionOutcome.Applied)
        {
            await Shell.Save(decision.Request);
            await Shell.SetReminder(force: false);
        }

        metrics.Action(command.Action, decision.Outcome);
        LogAction(Logger, request.Id, command.Action, decision.Outcome);
        var shown = decision.Outcome == ActionOutcome.NotFound ? null : await Shell.ViewFor(actor);
        return new ActionStep { Result = new ActionResult { Outcome = decision.Outcome, Request = shown, Errors = decision.Errors, Detail = decision.Detail } };
    }

    /// <summary>An action decided here was answered in its turn: there is nothing to send.</summary>
    public Task<ActionResult> Delivered(ActionStep step, RequestAction action, Func<int, PeerCommandReply, Task<ActionResult>> answered) =>
        Task.FromResult(step.Result);

    public async Task CatchUp(AssistanceRequest request)
    {
        var (evaluated, recorded) = request.Evaluate(Time.GetUtcNow(), Shell.Data, ResponsibleHere);
        if (!recorded.IsEmpty)
        {
            await Shell.Save(evaluated);
            var now = Time.GetUtcNow();
            foreach (var clockEvent in recorded)
            {
                var lateness = now - clockEvent.DueAt;
                metrics.Late(clockEvent, lateness);
                LogClockEvent(Logger, request.Id, clockEvent.Kind, clockEvent.Event, clockEvent.Value, lateness);
            }
        }

        await Shell.SetReminder(force: false);
    }

    public async Task<bool> Recalculate(AssistanceRequest request, Recalculation cause)
    {
        var recalculated = request.Recalculate(Time.GetUtcNow(), Shell.Data, cause.Reason, ResponsibleHere);
        if (recalculated.Version == request.Version)
        {
            // Nothing moved: remember the data version it was checked against, and write nothing.
            Shell.Keep(recalculated);
            return false;
        }

        await Shell.Save(recalculated);
        await Shell.SetReminder(force: true);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Action} -> {Outcome}")]
    private static partial void LogAction(ILogger logger, Guid requestId, RequestAction action, ActionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Clock} {Event} {Value} recorded {Lateness} after it fell due")]
    private static partial void LogClockEvent(ILogger logger, Guid requestId, ClockKind clock, ClockEventKind @event, int value, TimeSpan lateness);
}
