using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.Tests;

/// <summary>A request between KZ-GP (requesting) and CN-MOJ (requested), driven through actions on a clock the test holds.</summary>
public sealed class Scenario
{
    public const string Requesting = "KZ-GP";
    public const string Requested = "CN-MOJ";

    public static readonly Actor Filer = new() { Subject = "filer-1", Authority = Requesting, Role = Role.Filer };
    public static readonly Actor RequestingSupervisor = new() { Subject = "sup-1", Authority = Requesting, Role = Role.Supervisor };
    public static readonly Actor Handler = new() { Subject = "handler-1", Authority = Requested, Role = Role.Handler };
    public static readonly Actor RequestedSupervisor = new() { Subject = "sup-2", Authority = Requested, Role = Role.Supervisor };
    public static readonly Actor Viewer = new() { Subject = "viewer-1", Authority = Requested, Role = Role.Viewer };
    public static readonly Actor Stranger = new() { Subject = "x", Authority = "RU-GP", Role = Role.Supervisor };

    public Scenario(string basis = LegalBases.Eio, DateTimeOffset? now = null, Func<FileRequest, FileRequest>? adjust = null)
    {
        Now = now ?? new DateTimeOffset(2025, 3, 3, 2, 0, 0, TimeSpan.Zero);
        var filing = new FileRequest
        {
            RequestingAuthority = Requesting,
            RequestedAuthority = Requested,
            LegalBasis = basis,
            AssistanceTypes = [AssistanceType.TakingEvidence],
            Subject = "Evidence from a witness",
            SummaryOfFacts = "Facts.",
        };
        Request = AssistanceRequest.File(Guid.NewGuid(), adjust?.Invoke(filing) ?? filing, Filer, Now, ShippedData.Set);
    }

    public DateTimeOffset Now { get; private set; }

    public AssistanceRequest Request { get; private set; }

    public Scenario Advance(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public Scenario At(DateTimeOffset instant)
    {
        Now = instant;
        return this;
    }

    public ImmutableArray<Domain.Clocks.ClockEvent> Evaluate()
    {
        var (next, recorded) = Request.Evaluate(Now, ShippedData.Set);
        Request = next;
        return recorded;
    }

    public ActionDecision Try(RequestAction action, Actor actor, Func<ActionCommand, ActionCommand>? details = null)
    {
        var command = new ActionCommand { Action = action };
        return Request.Act(details?.Invoke(command) ?? command, actor, Now, ShippedData.Set);
    }

    /// <summary>Takes the action, with every field an action may need, and fails the test unless it is applied.</summary>
    public Scenario Do(RequestAction action, Actor actor, Func<ActionCommand, ActionCommand>? details = null)
    {
        var decision = Try(action, actor, c => (details ?? Complete(action))(c));
        Assert.True(decision.Outcome == ActionOutcome.Applied, $"{action} by {actor.Role}: {decision.Outcome} {decision.Detail} {string.Join("; ", decision.Errors)}");
        Request = decision.Request;
        return this;
    }

    public static Func<ActionCommand, ActionCommand> Complete(RequestAction action) => c => c with
    {
        Reason = "because",
        Grounds = action == RequestAction.Refuse ? "dual criminality not met" : null,
        ForwardedTo = action == RequestAction.Forward ? "CN-SPP" : null, // another CN authority: forwards stay within the requested state (EIO art. 7(6))
        Estimate = new DateOnly(2026, 1, 31),
        ServedOn = action == RequestAction.ServeOrder ? "Example Telecom LLC" : null,
        Note = action is RequestAction.ReportProgress or RequestAction.Consult ? "what was said" : null,
    };

    public Domain.Clocks.Clock Clock(ClockKind kind) => Request.Clocks.Last(c => c.Kind == kind);
}
