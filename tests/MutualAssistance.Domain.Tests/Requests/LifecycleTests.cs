using MutualAssistance.Contracts.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;
using static MutualAssistance.Contracts.Requests.RequestStatus;

namespace MutualAssistance.Domain.Tests;

/// <summary>Every action tried in every status, against a table written out here by hand.</summary>
public sealed class LifecycleTests
{
    /// <summary>Which actions each status allows (from the lifecycle issue, written independently of the code's table).</summary>
    private static readonly Dictionary<RequestStatus, RequestAction[]> Expected = new()
    {
        // inform-delay (EIO art. 12(5)-(6)): in every open status, on the decision or execution clock that is open in it.
        [Submitted] = [Acknowledge, Forward, RequestInformation, Accept, Extend, Refuse, Withdraw, InformDelay],
        [Acknowledged] = [Forward, RequestInformation, Accept, Extend, Refuse, Withdraw, InformDelay],
        [Forwarded] = [Acknowledge, RequestInformation, Accept, Extend, Refuse, Withdraw, InformDelay],
        [Accepted] = [RequestInformation, Postpone, Extend, PartiallyExecute, Execute, Refuse, ReturnUnexecuted, Withdraw, InformDelay],
        [PartiallyExecuted] = [RequestInformation, Postpone, Extend, PartiallyExecute, Execute, Refuse, ReturnUnexecuted, Withdraw, InformDelay],
        [AwaitingInformation] = [ProvideInformation, Extend, Withdraw, InformDelay],
        [Postponed] = [Resume, Extend, Refuse, ReturnUnexecuted, Withdraw, InformDelay],
        [Executed] = [Close],
        [Closed] = [],
        [Refused] = [],
        [ReturnedUnexecuted] = [],
        [Withdrawn] = [],
    };

    private static Scenario In(RequestStatus status)
    {
        var s = new Scenario();
        return status switch
        {
            Submitted => s,
            Acknowledged => s.Do(Acknowledge, Scenario.Handler),
            Forwarded => s.Do(Forward, Scenario.Handler),
            Accepted => s.Do(Accept, Scenario.Handler),
            PartiallyExecuted => s.Do(Accept, Scenario.Handler).Do(PartiallyExecute, Scenario.Handler),
            Executed => s.Do(Accept, Scenario.Handler).Do(Execute, Scenario.Handler),
            Closed => s.Do(Accept, Scenario.Handler).Do(Execute, Scenario.Handler).Do(Close, Scenario.Filer),
            AwaitingInformation => s.Do(RequestInformation, Scenario.Handler),
            Postponed => s.Do(Accept, Scenario.Handler).Do(Postpone, Scenario.Handler),
            Refused => s.Do(Refuse, Scenario.Handler),
            ReturnedUnexecuted => s.Do(Accept, Scenario.Handler).Do(ReturnUnexecuted, Scenario.Handler),
            Withdrawn => s.Do(Withdraw, Scenario.Filer),
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
    }

    /// <summary>The supervisor of the side that takes the action, and for extend the clock open in that status.</summary>
    private static (Actor Actor, ClockKind? Clock) ActorFor(RequestAction action, RequestStatus status) => action switch
    {
        ProvideInformation or Withdraw or Close or AskProgress => (Scenario.RequestingSupervisor, null),
        Extend when status == AwaitingInformation => (Scenario.RequestingSupervisor, ClockKind.Information),
        Extend when status is Accepted or PartiallyExecuted or Postponed => (Scenario.RequestedSupervisor, ClockKind.Execution),
        Extend => (Scenario.RequestedSupervisor, ClockKind.Decision),
        InformDelay when status is Accepted or PartiallyExecuted or Postponed => (Scenario.RequestedSupervisor, ClockKind.Execution),
        InformDelay => (Scenario.RequestedSupervisor, ClockKind.Decision),
        _ => (Scenario.RequestedSupervisor, null),
    };

    public static TheoryData<RequestStatus, RequestAction> EveryStatusAndAction()
    {
        var data = new TheoryData<RequestStatus, RequestAction>();
        foreach (var status in Enum.GetValues<RequestStatus>())
        {
            foreach (var action in Enum.GetValues<RequestAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public void Each_action_is_allowed_exactly_where_the_lifecycle_says(RequestStatus status, RequestAction action)
    {
        var scenario = In(status);
        Assert.Equal(status, scenario.Request.Status);
        var before = scenario.Request;
        var (actor, clock) = ActorFor(action, status);

        var decision = scenario.Try(action, actor, c => Scenario.Complete(action)(c) with { Clock = clock, Days = 10 });

        if (Expected[status].Contains(action))
        {
            Assert.True(decision.Outcome == ActionOutcome.Applied, $"{decision.Outcome}: {decision.Detail} {string.Join("; ", decision.Errors)}");
            Assert.Equal(before.Version + 1, decision.Request.Version);
            Assert.Equal(before.NewEvents.Length + 1, decision.Request.NewEvents.Length);
        }
        else
        {
            Assert.Equal(ActionOutcome.NotAllowedInStatus, decision.Outcome);
            Assert.Same(before, decision.Request);
        }
    }

    [Theory]
    [InlineData(Submitted, Acknowledge, Acknowledged)]
    [InlineData(Submitted, Forward, Forwarded)]
    [InlineData(Acknowledged, Accept, Accepted)]
    [InlineData(Accepted, Execute, Executed)]
    [InlineData(Executed, Close, Closed)]
    [InlineData(Accepted, PartiallyExecute, PartiallyExecuted)]
    [InlineData(Postponed, Resume, Accepted)]
    [InlineData(AwaitingInformation, ProvideInformation, Submitted)]
    [InlineData(Forwarded, Refuse, Refused)]
    [InlineData(Postponed, ReturnUnexecuted, ReturnedUnexecuted)]
    [InlineData(Accepted, Withdraw, Withdrawn)]
    [InlineData(Accepted, Extend, Accepted)]
    public void Actions_lead_where_the_lifecycle_says(RequestStatus from, RequestAction action, RequestStatus to)
    {
        var (actor, clock) = ActorFor(action, from);
        var scenario = In(from).Do(action, actor, c => Scenario.Complete(action)(c) with { Clock = clock, Days = 10 });
        Assert.Equal(to, scenario.Request.Status);
    }

    [Fact]
    public void Awaiting_information_returns_to_the_status_it_came_from()
    {
        var scenario = In(PartiallyExecuted).Do(RequestInformation, Scenario.Handler);
        Assert.Equal(PartiallyExecuted, scenario.Request.PriorStatus);
        scenario.Do(ProvideInformation, Scenario.Filer);
        Assert.Equal(PartiallyExecuted, scenario.Request.Status);
        Assert.Null(scenario.Request.PriorStatus);
    }

    [Fact]
    public void A_disallowed_action_changes_nothing_and_the_view_lists_what_is_allowed()
    {
        var scenario = In(Executed);
        var before = scenario.Request;
        var decision = scenario.Try(Acknowledge, Scenario.Handler);
        Assert.Equal(ActionOutcome.NotAllowedInStatus, decision.Outcome);
        Assert.Same(before, decision.Request);
        Assert.Equal([Close], decision.Request.ToView(Scenario.Filer, ShippedData.Set).AllowedActions);
        Assert.Empty(decision.Request.ToView(Scenario.Handler, ShippedData.Set).AllowedActions);
    }

    /// <summary>Each field <see cref="ActionFields"/> says an action requires (what the page's forms ask for), under EIO.</summary>
    public static TheoryData<RequestAction, string> RequiredFields()
    {
        var data = new TheoryData<RequestAction, string>();
        foreach (var action in Enum.GetValues<RequestAction>().Where(a => Domain.Requests.Lifecycle.Rules[a].ExistsUnder(LegalBases.Eio, ShippedData.Set.Instruments)))
        {
            foreach (var field in ActionFields.Of(action).Where(f => f.Required))
            {
                data.Add(action, field.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void What_the_reference_says_an_action_requires_the_request_requires(RequestAction action, string field)
    {
        var status = Domain.Requests.Lifecycle.Rules[action].From.Order().First();
        var scenario = In(status);
        var (actor, clock) = ActorFor(action, status);
        var complete = Scenario.Complete(action);
        var decision = scenario.Try(action, actor, c => Without(complete(c) with { Clock = clock ?? ClockKind.Decision, Days = 5, Estimate = new DateOnly(2027, 6, 1) }, field));
        Assert.Equal(ActionOutcome.Invalid, decision.Outcome);
        Assert.Contains(field, decision.Errors.Keys);

        // And with it, the same action is not refused for that field.
        var with = scenario.Try(action, actor, c => complete(c) with { Clock = clock ?? ClockKind.Decision, Days = 5, Estimate = new DateOnly(2027, 6, 1), Reason = "because", ServedOn = "Provider" });
        Assert.DoesNotContain(field, with.Errors.Keys);
    }

    private static ActionCommand Without(ActionCommand command, string field) => field switch
    {
        ActionFields.Reason => command with { Reason = null },
        ActionFields.Grounds => command with { Grounds = null },
        ActionFields.ForwardedTo => command with { ForwardedTo = null },
        ActionFields.ServedOn => command with { ServedOn = null },
        ActionFields.Estimate => command with { Estimate = null },
        ActionFields.Clock => command with { Clock = null },
        ActionFields.Days => command with { Days = null },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "a required field this test does not know how to leave out"),
    };

    [Theory]
    [InlineData(Refuse, "grounds")]
    [InlineData(Forward, "forwardedTo")]
    [InlineData(RequestInformation, "reason")]
    [InlineData(Extend, "reason")]
    public void An_action_without_what_it_needs_is_invalid_and_names_the_field(RequestAction action, string field)
    {
        var scenario = new Scenario();
        var before = scenario.Request;
        var decision = scenario.Try(action, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 5 });
        Assert.Equal(ActionOutcome.Invalid, decision.Outcome);
        Assert.Contains(field, decision.Errors.Keys);
        Assert.Same(before, decision.Request);
    }
}
