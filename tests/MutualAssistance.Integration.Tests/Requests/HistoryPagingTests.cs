using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary><c>GET /api/requests/{id}/history</c> pages a long history: <c>limit</c>, <c>cursor</c>, <c>next</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class HistoryPagingTests(ApiFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IGrainFactory Grains => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IGrainFactory>(fixture.SiloServices);

    [Fact]
    public async Task A_long_history_is_read_page_by_page_oldest_first_without_gaps_or_repeats()
    {
        // 1 filing, then acknowledge, accept and 60 postpone/resume: 63 events, through the grain (quicker than HTTP).
        var grain = Grains.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var filer = new Actor { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
        var handler = new Actor { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };
        await grain.File(Requests.Sample(), filer);
        RequestAction[] script = [RequestAction.Acknowledge, RequestAction.Accept, .. Enumerable.Range(0, 30).SelectMany(_ => new[] { RequestAction.Postpone, RequestAction.Resume })];
        foreach (var action in script)
        {
            Assert.Equal(ActionOutcome.Applied, (await grain.Act(new ActionCommand { Action = action, Reason = "hearing" }, handler)).Outcome);
        }

        var client = fixture.Api.As("KZ-GP", "viewer");
        var sequences = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/requests/{grain.GetPrimaryKey()}/history?limit=10{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Cancel);
            var items = page.GetProperty("items");
            Assert.InRange(items.GetArrayLength(), 1, 10);
            sequences.AddRange(items.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt32()));
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(1, 63), sequences);
        Assert.Equal(7, pages);

        // Without a limit: the default page, and the last page of an exact multiple says there is no next.
        var whole = await client.GetFromJsonAsync<JsonElement>($"/api/requests/{grain.GetPrimaryKey()}/history", Cancel);
        Assert.Equal(63, whole.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("next").ValueKind);
        var exact = await client.GetFromJsonAsync<JsonElement>($"/api/requests/{grain.GetPrimaryKey()}/history?limit=63", Cancel);
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=YWZ0ZXI6LTE", "cursor")] // "after:-1"
    public async Task A_bad_limit_or_cursor_is_a_problem_naming_it(string query, string field)
    {
        var grain = Grains.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample(), Requests.Filer);
        var response = await fixture.Api.As("KZ-GP", "viewer").GetAsync($"/api/requests/{grain.GetPrimaryKey()}/history?{query}", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
