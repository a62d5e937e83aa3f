using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The case handler's page in headless Chromium against the API and the development identity provider on real
/// ports: sign-in by the code flow, filing from the form (problem details beside the fields), the other side acting
/// in a second browser context and the change arriving live, the 412 path, the polling fallback, refresh and
/// re-sign-in at expiry, sign-out, the three languages (a screenshot of the board in each kept as an artifact), and
/// axe-core's WCAG 2.2 AA rules on every view with no serious violation.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ApiCollection.Name)]
public sealed partial class PageTests(ApiFixture fixture)
{
    private const string Filer = "kz-filer";
    private const string FilerAuthority = "KZ-GP";
    private const string Handler = "cn-handler";
    private const string HandlerAuthority = "CN-MOJ";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    [Fact]
    public async Task A_filer_files_from_the_form_the_other_side_acknowledges_and_the_change_arrives_live()
    {
        await using var harness = await PageHarness.StartAsync(fixture);
        var filer = await harness.NewPageAsync();
        await harness.SignInAsync(filer, Filer, FilerAuthority);
        await PageHarness.AssertAccessibleAsync(filer, "the board, signed in");

        // The form refuses what the API refuses, beside the fields it names; nothing is filed.
        await filer.ClickAsync("nav a[data-view='file']");
        await Expect(filer.Locator("#file-heading")).ToBeFocusedAsync();
        await filer.ClickAsync("#file-submit");
        var subjectError = filer.Locator("#file-form [data-field='subject'][aria-invalid='true']");
        await Expect(subjectError).ToHaveCountAsync(1);
        await Expect(filer.Locator("#view-file .field-error").First).ToBeVisibleAsync();
        await Expect(filer.Locator("#file-form [data-field='requestedAuthority'][aria-invalid='true']")).ToHaveCountAsync(1);
        await PageHarness.AssertAccessibleAsync(filer, "the filing form with the API's problem details");

        // Filed: the page goes to the new request.
        var subject = "Page filing " + Guid.NewGuid().ToString("N")[..6];
        await filer.SelectOptionAsync("#file-form [data-field='requestedAuthority']", HandlerAuthority);
        await filer.SelectOptionAsync("#file-form [data-field='legalBasis']", TestReferenceData.TreatyBasis);
        await filer.CheckAsync("input[name='assistanceTypes'][value='hearing-by-video']");
        await filer.FillAsync("#file-form [data-field='subject']", subject);
        await filer.FillAsync("#file-form [data-field='summaryOfFacts']", "Facts for the page test.");
        await filer.ClickAsync("#file-add-person");
        await filer.FillAsync("#file-form [data-field='personsConcerned[0].name']", "Ivan Petrov");
        await filer.FillAsync("#file-form [data-field='personsConcerned[0].role']", "witness");
        await filer.ClickAsync("#file-submit");
        await Expect(filer).ToHaveURLAsync(RequestUrl());
        var id = RequestUrl().Match(filer.Url).Groups[1].Value;
        await Expect(filer.Locator("#request-status")).ToHaveTextAsync("Submitted");
        await Expect(filer.Locator("#history-verification")).ToHaveClassAsync(new Regex("verified"));
        await PageHarness.AssertAccessibleAsync(filer, "a request's page");

        // The other side, in a browser context of its own, sees it on its board and acknowledges it.
        var handler = await harness.NewPageAsync(timeZone: "Asia/Shanghai");
        await harness.SignInAsync(handler, Handler, HandlerAuthority);
        var row = handler.Locator($"#board tbody tr[data-request-id='{id}']").First;
        await Expect(row).ToBeVisibleAsync();
        await row.Locator("a").ClickAsync();
        await Expect(handler.Locator("#request-title")).ToHaveTextAsync(subject);
        await handler.ClickAsync("button[data-action='acknowledge']");
        await Expect(handler.Locator("#action-form-acknowledge")).ToBeVisibleAsync();
        await PageHarness.AssertAccessibleAsync(handler, "an action's form");
        await handler.FillAsync("#action-form-acknowledge [data-field='requestedReference']", "CN-2026-001");
        await handler.ClickAsync("#action-form-acknowledge button[type='submit']");
        await Expect(handler.Locator("#request-notice")).ToContainTextAsync("Acknowledged");
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Acknowledged");

        // The filer's page, untouched, shows it: the change stream told it.
        await Expect(filer.Locator("#live-status")).ToHaveTextAsync(PageHarness.Texts("en").GetProperty("live.live").GetString()!);
        await Expect(filer.Locator("#request-status")).ToHaveTextAsync("Acknowledged");
        await Expect(filer.Locator(".history-entry")).ToHaveCountAsync(2);

        // Sign-out ends the provider's session too and comes back to the page, signed out.
        await filer.ClickAsync("#sign-out");
        await Expect(filer.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(filer.Locator("#workspace")).ToBeHiddenAsync();
        Assert.Null(await filer.EvaluateAsync<string?>("() => sessionStorage.getItem('ma.session')"));
        await filer.ClickAsync("#sign-in");
        await Expect(filer.Locator($"button[value='{Filer}']")).ToBeVisibleAsync(); // asked to choose again, not signed in silently
    }

    [Fact]
    public async Task An_action_on_a_version_changed_meanwhile_is_reloaded_and_said_so()
    {
        await using var harness = await PageHarness.StartAsync(fixture);
        var api = harness.Api.As(HandlerAuthority, "handler");
        var id = await FileAsync(harness.Api.As(FilerAuthority, "filer"), "Changed meanwhile");

        var handler = await harness.NewPageAsync();
        await harness.SignInAsync(handler, Handler, HandlerAuthority);
        await handler.UncheckAsync("#live-auto"); // reading quietly: nothing reloads by itself
        await Expect(handler.Locator("#live-status")).ToHaveTextAsync(PageHarness.Texts("en").GetProperty("live.paused").GetString()!);
        await handler.GotoAsync($"{harness.BaseAddress}/#/requests/{id}");
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Submitted");
        await handler.ClickAsync("button[data-action='acknowledge']");

        // Meanwhile a colleague acknowledges it through the API.
        var acted = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge") { Headers = { { "If-Match", "\"1\"" } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Submitted"); // still the old copy

        await handler.ClickAsync("#action-form-acknowledge button[type='submit']");
        var notice = handler.Locator("#request-notice");
        await Expect(notice).ToHaveTextAsync(PageHarness.Texts("en").GetProperty("request.changedMeanwhile").GetString()!);
        await Expect(notice).ToBeFocusedAsync();
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Acknowledged");
        await Expect(handler.Locator("#alerts .problem")).ToHaveCountAsync(0); // not shown as an error
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel);
        Assert.Equal(2, history.GetProperty("items").GetArrayLength()); // filed, acknowledged once
    }

    [Fact]
    public async Task A_request_is_opened_and_acted_on_from_the_keyboard_alone_and_the_dark_scheme_keeps_its_contrast()
    {
        await using var harness = await PageHarness.StartAsync(fixture);
        var id = await FileAsync(harness.Api.As(FilerAuthority, "filer"), "Keyboard only");
        var handler = await harness.NewPageAsync();
        await harness.SignInAsync(handler, Handler, HandlerAuthority);

        // The skip link is the first stop and leads to the content.
        await handler.Keyboard.PressAsync("Tab");
        await Expect(handler.Locator(".skip-link")).ToBeFocusedAsync();

        // From the board to the request: its link, Enter; the request's heading takes the focus.
        var link = handler.Locator($"#board tbody tr[data-request-id='{id}'] a").First;
        await link.FocusAsync();
        await handler.Keyboard.PressAsync("Enter");
        await Expect(handler.Locator("#request-title")).ToBeFocusedAsync();

        // Tab to the action, Enter opens its form with the focus in its first field, Enter submits.
        var acknowledge = handler.Locator("button[data-action='acknowledge']");
        for (var i = 0; i < 40 && !await acknowledge.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await handler.Keyboard.PressAsync("Tab");
        }

        await Expect(acknowledge).ToBeFocusedAsync();
        await handler.Keyboard.PressAsync("Enter");
        await Expect(acknowledge).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(handler.Locator("#action-form-acknowledge [data-field='reason']")).ToBeFocusedAsync();
        await handler.Keyboard.TypeAsync("Received by the central authority.");
        await handler.Keyboard.PressAsync("Tab"); // requested side's reference
        await handler.Keyboard.TypeAsync("CN-KEY-1");
        await handler.Locator("#action-form-acknowledge button[type='submit']").FocusAsync();
        await handler.Keyboard.PressAsync("Enter");
        await Expect(handler.Locator("#request-notice")).ToBeFocusedAsync();
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Acknowledged");

        // The same views in the dark colour scheme: still no serious violation (contrast included).
        await handler.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await PageHarness.AssertAccessibleAsync(handler, "a request's page, dark scheme");
        await handler.ClickAsync("nav a[data-view='board']");
        await Expect(handler.Locator($"#board tbody tr[data-request-id='{id}']").First).ToBeVisibleAsync();
        await PageHarness.AssertAccessibleAsync(handler, "the board, dark scheme");
    }

    [Fact]
    public async Task Without_the_change_stream_the_page_polls_and_still_shows_changes()
    {
        await using var harness = await PageHarness.StartAsync(fixture);
        var id = await FileAsync(harness.Api.As(FilerAuthority, "filer"), "Polled");
        var handler = await harness.NewPageAsync();
        // The stream is cut at the network: the page falls back to ETag polling.
        await handler.Context.RouteAsync("**/api/deadlines/stream", route => route.AbortAsync());
        await harness.SignInAsync(handler, Handler, HandlerAuthority);
        await Expect(handler.Locator("#live-status")).ToHaveTextAsync(PageHarness.Texts("en").GetProperty("live.polling").GetString()!);
        await handler.GotoAsync($"{harness.BaseAddress}/#/requests/{id}");
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Submitted");

        var acted = await harness.Api.As(HandlerAuthority, "handler").SendAsync(
            new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge") { Headers = { { "If-Match", "\"1\"" } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        await Expect(handler.Locator("#request-status")).ToHaveTextAsync("Acknowledged");
    }

    [Fact]
    public async Task The_session_is_refreshed_before_its_token_expires_and_asks_for_a_new_sign_in_when_it_cannot_be()
    {
        await using var harness = await PageHarness.StartAsync(fixture, accessTokenLifetime: TimeSpan.FromSeconds(6));
        var filer = await harness.NewPageAsync();
        await harness.SignInAsync(filer, Filer, FilerAuthority);
        var first = await AccessTokenAsync(filer);

        // Refreshed before expiry, without the user: a new access token, still signed in, the API still answers.
        await Poll.Until(async () => await AccessTokenAsync(filer) is { } now && now != first ? now : null, TimeSpan.FromSeconds(30), "the page refreshes its token", Cancel);
        await Expect(filer.Locator("#who")).ToContainTextAsync(FilerAuthority);
        await filer.ClickAsync("nav a[data-view='requests']");
        await Expect(filer.Locator("#requests-summary")).Not.ToBeEmptyAsync();

        // A refresh the provider refuses (here: a refresh token it never issued) ends the session and asks for a new sign-in.
        await filer.EvaluateAsync("() => { const s = JSON.parse(sessionStorage.getItem('ma.session')); s.refreshToken = 'not-a-refresh-token'; sessionStorage.setItem('ma.session', JSON.stringify(s)); }");
        await filer.ReloadAsync();
        await Expect(filer.Locator("#sign-in")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(filer.Locator("#signed-out-note")).ToHaveTextAsync(PageHarness.Texts("en").GetProperty("session.expiredNote").GetString()!);

        // Signing in again: the provider still knows the user, so it comes straight back, signed in.
        await filer.ClickAsync("#sign-in");
        await Expect(filer.Locator("#who")).ToContainTextAsync(FilerAuthority);
    }

    [Fact]
    public async Task The_page_speaks_english_russian_and_chinese_from_the_browser_or_the_users_choice()
    {
        await using var harness = await PageHarness.StartAsync(fixture);
        await FileAsync(harness.Api.As(FilerAuthority, "filer"), "Languages");

        // The browser's language when the user has chosen none.
        var russian = await harness.NewPageAsync(locale: "ru-RU");
        await harness.SignInAsync(russian, Filer, FilerAuthority);
        var ru = PageHarness.Texts("ru");
        await Expect(russian.Locator("#board-heading")).ToHaveTextAsync(ru.GetProperty("board.heading").GetString()!);
        await Expect(russian.Locator("html")).ToHaveAttributeAsync("lang", "ru");

        // The user's choice, in every language: every label of the board in it, dates and numbers through Intl.
        var page = await harness.NewPageAsync(locale: "en-GB");
        await harness.SignInAsync(page, Filer, FilerAuthority);
        await Expect(page.Locator("#board tbody tr").First).ToBeVisibleAsync();
        foreach (var code in new[] { "en", "ru", "zh" })
        {
            var texts = PageHarness.Texts(code);
            await page.SelectOptionAsync("#language", code);
            await Expect(page.Locator("#board-heading")).ToHaveTextAsync(texts.GetProperty("board.heading").GetString()!);
            await Expect(page.Locator("nav a[data-view='file']")).ToHaveTextAsync(texts.GetProperty("nav.file").GetString()!);
            await Expect(page.Locator("#board thead th").First).ToHaveTextAsync(texts.GetProperty("board.col.due").GetString()!);
            await Expect(page.Locator("#board tbody td.status").First).ToHaveTextAsync(texts.GetProperty("status.submitted").GetString()!);
            await PageHarness.AssertAccessibleAsync(page, $"the board in {code}");
            await PageHarness.KeepScreenshotAsync(page, $"page-board-{code}.png");
        }

        // Chinese dates come from Intl in zh-CN (年/月/日), and the choice outlives a reload.
        await Expect(page.Locator("#board tbody .due-viewer").First).ToContainTextAsync("年");
        await page.ReloadAsync();
        await Expect(page.Locator("#board-heading")).ToHaveTextAsync(PageHarness.Texts("zh").GetProperty("board.heading").GetString()!);

        // The API's problem details arrive in the page's language.
        await page.ClickAsync("nav a[data-view='file']");
        await page.ClickAsync("#file-submit");
        await Expect(page.Locator("#view-file .form-problem .problem-title")).ToContainTextAsync("一个或多个字段无效");
        await Expect(page.Locator("#view-file [data-field='subject']").Locator("xpath=..").Locator(".field-error")).ToHaveTextAsync("必填。");
        await PageHarness.KeepScreenshotAsync(page, "page-file-problems-zh.png");
    }

    [Fact]
    public async Task The_forms_cap_their_fields_with_the_limits_of_the_reference()
    {
        // The page states no limit of its own: each cap is the figure /api/reference gives, which the API applies.
        await using var harness = await PageHarness.StartAsync(fixture);
        var limits = (await harness.Api.As(FilerAuthority, "filer").GetFromJsonAsync<JsonElement>("/api/reference", Cancel)).GetProperty("limits");
        string Limit(string name) => limits.GetProperty(name).GetInt32().ToString(CultureInfo.InvariantCulture);
        var id = await FileAsync(harness.Api.As(FilerAuthority, "filer"), "Capped fields");

        var filer = await harness.NewPageAsync();
        await harness.SignInAsync(filer, Filer, FilerAuthority);
        await filer.ClickAsync("nav a[data-view='file']");
        await filer.ClickAsync("#file-add-person");
        await Expect(filer.Locator("#file-form [data-field='subject']")).ToHaveAttributeAsync("maxlength", Limit("subject"));
        await Expect(filer.Locator("#file-form [data-field='language']")).ToHaveAttributeAsync("maxlength", Limit("language"));
        await Expect(filer.Locator("#file-form [data-field='requestedByReasons']")).ToHaveAttributeAsync("maxlength", Limit("actionText"));
        await Expect(filer.Locator("#file-form [data-field='personsConcerned[0].nationality']")).ToHaveAttributeAsync("maxlength", Limit("personNationality"));

        // Asked for information, the requesting side's information clock runs, which the treaty's policy lets a
        // supervisor of that side extend: the extension form's days are capped too.
        var handler = harness.Api.As(HandlerAuthority, "handler");
        Assert.Equal(HttpStatusCode.OK, (await Act(handler, id, "acknowledge", "\"1\"", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Act(handler, id, "request-information", "\"2\"", new { reason = "Which accounts?" })).StatusCode);
        var supervisor = await harness.NewPageAsync();
        await harness.SignInAsync(supervisor, "kz-supervisor", FilerAuthority);
        await supervisor.GotoAsync($"{harness.BaseAddress}/#/requests/{id}");
        await supervisor.ClickAsync("button[data-action='extend']");
        await Expect(supervisor.Locator("#action-form-extend [data-field='days']")).ToHaveAttributeAsync("max", Limit("extensionDays"));
    }

    private static async Task<HttpResponseMessage> Act(HttpClient http, Guid id, string action, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(body) };
        request.Headers.Add("If-Match", ifMatch);
        return await http.SendAsync(request, Cancel);
    }

    private static async Task<string?> AccessTokenAsync(IPage page) =>
        await page.EvaluateAsync<string?>("() => JSON.parse(sessionStorage.getItem('ma.session') ?? 'null')?.accessToken ?? null");

    private static async Task<Guid> FileAsync(HttpClient http, string subject)
    {
        var response = await http.PostAsJsonAsync("/api/requests", new
        {
            requestingAuthority = FilerAuthority, requestedAuthority = HandlerAuthority, legalBasis = TestReferenceData.TreatyBasis,
            assistanceTypes = new[] { "hearing-by-video" }, subject, summaryOfFacts = "Facts.",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    [GeneratedRegex(@"#/requests/([0-9a-f-]{36})$")]
    private static partial Regex RequestUrl();
}
