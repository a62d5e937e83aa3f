using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.Tests;

public sealed class RequestViewsTests
{
    [Fact]
    public void An_unchanged_request_read_again_by_the_same_authority_and_role_gets_the_same_view()
    {
        var scenario = new Scenario();
        var views = new RequestViews();

        var first = views.Of(scenario.Request, Scenario.Handler, ShippedData.Set);
        var again = views.Of(scenario.Request, Scenario.Handler with { Subject = "handler-2" }, ShippedData.Set);

        Assert.Same(first, again);
        Assert.Equal(scenario.Request.ToView(Scenario.Handler, ShippedData.Set).AllowedActions, first.AllowedActions);
    }

    [Fact]
    public void Each_side_and_role_gets_the_actions_it_may_take_not_another_viewers()
    {
        var scenario = new Scenario();
        var views = new RequestViews();

        var handler = views.Of(scenario.Request, Scenario.Handler, ShippedData.Set);
        var filer = views.Of(scenario.Request, Scenario.Filer, ShippedData.Set);
        var viewer = views.Of(scenario.Request, Scenario.Viewer, ShippedData.Set);

        Assert.Contains(RequestAction.Acknowledge, handler.AllowedActions);
        Assert.DoesNotContain(RequestAction.Acknowledge, filer.AllowedActions);
        Assert.Empty(viewer.AllowedActions);
        Assert.Same(handler, views.Of(scenario.Request, Scenario.Handler, ShippedData.Set));
    }

    [Fact]
    public void A_new_version_or_new_reference_data_is_viewed_afresh()
    {
        var scenario = new Scenario();
        var views = new RequestViews();
        var before = views.Of(scenario.Request, Scenario.Handler, ShippedData.Set);

        scenario.Do(RequestAction.Acknowledge, Scenario.Handler);
        var after = views.Of(scenario.Request, Scenario.Handler, ShippedData.Set);
        var otherData = views.Of(scenario.Request, Scenario.Handler, ShippedDataWith.ExtraHoliday("CN", new NodaTime.LocalDate(2025, 3, 4)));

        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(RequestStatus.Acknowledged, after.Status);
        Assert.NotSame(after, otherData);
    }
}
