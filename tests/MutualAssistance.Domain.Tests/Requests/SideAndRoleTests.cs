using MutualAssistance.Contracts.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

public sealed class SideAndRoleTests
{
    [Theory]
    [InlineData(Acknowledge, Role.Handler, Scenario.Requested, ActionOutcome.Applied)]
    [InlineData(Acknowledge, Role.Supervisor, Scenario.Requested, ActionOutcome.Applied)]
    [InlineData(Acknowledge, Role.Filer, Scenario.Requested, ActionOutcome.Forbidden)]
    [InlineData(Acknowledge, Role.Viewer, Scenario.Requested, ActionOutcome.Forbidden)]
    [InlineData(Acknowledge, Role.Admin, Scenario.Requested, ActionOutcome.Forbidden)]
    [InlineData(Acknowledge, Role.Handler, Scenario.Requesting, ActionOutcome.Forbidden)]
    [InlineData(Acknowledge, Role.Supervisor, Scenario.Requesting, ActionOutcome.Forbidden)]
    [InlineData(Withdraw, Role.Filer, Scenario.Requesting, ActionOutcome.Applied)]
    [InlineData(Withdraw, Role.Filer, Scenario.Requested, ActionOutcome.Forbidden)]
    [InlineData(Withdraw, Role.Handler, Scenario.Requested, ActionOutcome.Forbidden)]
    [InlineData(Withdraw, Role.Supervisor, Scenario.Requesting, ActionOutcome.Applied)]
    [InlineData(Acknowledge, Role.Supervisor, "RU-GP", ActionOutcome.NotFound)]
    [InlineData(Withdraw, Role.Filer, "RU-GP", ActionOutcome.NotFound)]
    public void Side_and_role_decide_who_may_act(RequestAction action, Role role, string authority, ActionOutcome expected)
    {
        var scenario = new Scenario();
        var actor = new Actor { Subject = "someone", Authority = authority, Role = role };
        var decision = scenario.Try(action, actor, Scenario.Complete(action));
        Assert.Equal(expected, decision.Outcome);
    }

    [Fact]
    public void Only_a_supervisor_extends()
    {
        var scenario = new Scenario();
        var asHandler = scenario.Try(Extend, Scenario.Handler, c => c with { Clock = ClockKind.Decision, Days = 10, Reason = "complex" });
        Assert.Equal(ActionOutcome.Forbidden, asHandler.Outcome);
        var asSupervisor = scenario.Try(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 10, Reason = "complex" });
        Assert.Equal(ActionOutcome.Applied, asSupervisor.Outcome);
        Assert.DoesNotContain(Extend, scenario.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Contains(Extend, scenario.Request.AllowedActions(Scenario.RequestedSupervisor, ShippedData.Set));
    }

    [Fact]
    public void A_stale_expected_version_is_refused_before_anything_else()
    {
        var scenario = new Scenario();
        var decision = scenario.Try(Acknowledge, Scenario.Handler, c => c with { ExpectedVersion = scenario.Request.Version - 1 });
        Assert.Equal(ActionOutcome.VersionMismatch, decision.Outcome);
        var current = scenario.Try(Acknowledge, Scenario.Handler, c => c with { ExpectedVersion = scenario.Request.Version });
        Assert.Equal(ActionOutcome.Applied, current.Outcome);
    }

    [Fact]
    public void Allowed_actions_are_those_of_the_callers_side_and_role()
    {
        var request = new Scenario().Request;
        Assert.Equal([Acknowledge, Forward, RequestInformation, Accept, Refuse, InformDelay], request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Equal([Withdraw], request.AllowedActions(Scenario.Filer, ShippedData.Set));
        Assert.Empty(request.AllowedActions(Scenario.Viewer, ShippedData.Set));
        Assert.Empty(request.AllowedActions(Scenario.Stranger, ShippedData.Set));
    }
}
