using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The dashboard page in headless Chromium (Debian's, at /usr/bin/chromium: no browser download) against the
/// API on a real port: sign in with a token, the board shows the API's rows, a filter narrows them, an action
/// taken through the API shows after the page's own refresh, the timeline opens from the keyboard. A screenshot
/// of the board is kept as a test artifact (attached to the result and written under artifacts/).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DashboardTests(ApiFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Authority = "KG-GP";
    private const string Partner = "BY-MOJ";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_board_renders_the_api_rows_filters_them_and_shows_an_action_after_refresh()
    {
        Assert.True(System.IO.File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (./test.sh does).");
        await using var api = ApiFactory.Create(fixture.ConnectionString, fixture.ClusterId);
        api.UseKestrel(0);
        api.StartServer();
        var baseAddress = api.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        var http = api.As(Authority, "handler");

        var overdue = await File(http, DateTimeOffset.UtcNow.AddDays(-15), "Seized servers");
        var fresh = await File(http, null, "Witness in Minsk");
        var expected = await Poll.Until(async () =>
        {
            var board = await http.GetFromJsonAsync<JsonElement>("/api/deadlines", Cancel);
            var ids = board.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("requestId").GetGuid().ToString()).ToList();
            return ids.Contains(overdue.ToString()) && ids.Contains(fresh.ToString()) ? ids : null;
        }, TimeSpan.FromSeconds(10), "the read model shows the change", Cancel);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, TimezoneId = "Europe/Berlin" });

        await page.GotoAsync(baseAddress + "/");
        await page.FillAsync("#token", TestTokens.For(Authority, "handler"));
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#who")).ToContainTextAsync(Authority);

        // The board shows exactly the API's rows, in its order.
        var rows = page.Locator("#board tbody tr[data-request-id]");
        await Expect(rows).ToHaveCountAsync(expected.Count);
        Assert.Equal(expected, (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.requestId)")).ToList());
        await Expect(page.Locator($"#board tbody tr[data-request-id='{overdue}']").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("overdue"));

        var screenshot = await page.Locator("body").ScreenshotAsync();
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        await System.IO.File.WriteAllBytesAsync(Path.Combine(artifacts.FullName, "dashboard-board.png"), screenshot, Cancel);
        TestContext.Current.AddAttachment("dashboard-board.png", screenshot, "image/png");

        // A filter narrows the rows: overdue only.
        await page.CheckAsync("#f-overdue");
        await Expect(page.Locator($"#board tbody tr[data-request-id='{fresh}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#board tbody tr[data-request-id='{overdue}']").First).ToBeVisibleAsync();
        await page.UncheckAsync("#f-overdue");
        await Expect(page.Locator($"#board tbody tr[data-request-id='{fresh}']").First).ToBeVisibleAsync();

        // An action through the API shows after the page's ETag-driven refresh.
        var acted = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{fresh}/actions/acknowledge") { Headers = { { "If-Match", "\"1\"" } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        try
        {
            await Expect(page.Locator($"#board tbody tr[data-request-id='{fresh}']").First).ToContainTextAsync("acknowledged", new() { IgnoreCase = true, Timeout = 30_000 });
        }
        catch (PlaywrightException e)
        {
            // Say what the page's refresh last did (not modified, check failed, updated), to tell a stale ETag from a failing poll.
            throw new Xunit.Sdk.XunitException($"The board did not show the acknowledgement; its refresh status: '{await page.Locator("#refresh-status").TextContentAsync()}'. {e.Message}");
        }

        // The timeline opens from the keyboard and closes with Escape.
        await page.Locator($"#board tbody tr[data-request-id='{fresh}'] button").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#timeline")).ToBeVisibleAsync();
        await Expect(page.Locator("#timeline")).ToContainTextAsync("acknowledge", new() { IgnoreCase = true });
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#timeline")).ToBeHiddenAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task<Guid> File(HttpClient http, DateTimeOffset? receivedAt, string subject)
    {
        var body = new JsonObject
        {
            ["requestingAuthority"] = Partner, ["requestedAuthority"] = Authority, ["legalBasis"] = "treaty",
            ["assistanceTypes"] = new JsonArray("hearing-by-video"), ["subject"] = subject, ["summaryOfFacts"] = "Facts.",
        };
        if (receivedAt is { } at)
        {
            body["receivedAt"] = at.ToString("O");
        }

        var response = await http.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }


}
