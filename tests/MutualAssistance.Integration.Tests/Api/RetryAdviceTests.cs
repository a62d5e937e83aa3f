using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Api;
using MutualAssistance.Api.Localization;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Every write of the API declares what a caller told "outcome unknown" should do (<see cref="RetryAdvice"/>), and
/// the handler words actions' and filings' advice each their own (FailureOutcomeTests shows it over HTTP).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RetryAdviceTests(ApiFixture fixture)
{
    [Fact]
    public void Every_write_endpoint_declares_its_advice_and_actions_and_filings_get_their_own()
    {
        var endpoints = fixture.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "DELETE" or "PATCH") == true)
            .ToList();
        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<RetryAdviceMetadata>() is not null, $"{e.DisplayName} declares no retry advice"));

        RetryAdvice Of(string name) => endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name).Metadata.GetMetadata<RetryAdviceMetadata>()!.Advice;
        Assert.Equal(ProblemText.OutcomeUnknownAction, ClusterUnavailableHandler.AdviceText(Of("ActOnRequest")));
        Assert.Equal(ProblemText.OutcomeUnknownFiling, ClusterUnavailableHandler.AdviceText(Of("FileRequest")));
        Assert.Equal(ProblemText.OutcomeUnknownRepeat, ClusterUnavailableHandler.AdviceText(Of("EraseRequest")));
    }
}
