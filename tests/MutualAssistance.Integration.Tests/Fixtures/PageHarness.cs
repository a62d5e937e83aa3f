using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using MutualAssistance.Api.Page;
using MutualAssistance.IdentityProvider;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// What the page's browser tests run against: the development identity provider and the API, each on a real port,
/// the provider sending sign-ins back to the API's page and the API trusting its tokens and naming it to the page;
/// headless Chromium (Debian's: no browser download); axe-core from npm (tests/page-accessibility).
/// </summary>
public sealed class PageHarness : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(Repository.Root, "tests", "page-accessibility", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"{path} is missing: run `npm ci` in tests/page-accessibility (./test.sh does).");
        return File.ReadAllText(path);
    });

    private readonly WebApplication provider;
    private readonly string folder;
    private IPlaywright? playwright;

    private PageHarness(WebApplicationFactory<Program> api, string baseAddress, WebApplication provider, string folder)
    {
        Api = api;
        BaseAddress = baseAddress;
        this.provider = provider;
        this.folder = folder;
    }

    public WebApplicationFactory<Program> Api { get; }

    /// <summary>The page's origin, e.g. http://127.0.0.1:43121.</summary>
    public string BaseAddress { get; }

    public IBrowser Browser { get; private set; } = null!;

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <param name="accessTokenLifetime">How long the provider's access tokens live (the page refreshes them before).</param>
    public static async Task<PageHarness> StartAsync(ApiFixture fixture, TimeSpan? accessTokenLifetime = null)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (./test.sh does).");
        var port = FreePort.Next();
        var origin = $"http://127.0.0.1:{port}";
        var issuer = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        // The shipped users; sign-ins end at the page's origin.
        var folder = Directory.CreateTempSubdirectory("ma-page-").FullName;
        File.Copy(Path.Combine(Repository.Root, "api", "MutualAssistance.IdentityProvider", "users.json"), Path.Combine(folder, "users.json"));
        var providerSettings = IdentityProviderFixture.Settings(issuer, folder);
        providerSettings[IdentityProviderSettings.RedirectUrisKey + ":0"] = origin + "/";
        providerSettings[IdentityProviderSettings.PostLogoutRedirectUrisKey + ":0"] = origin + "/";
        if (accessTokenLifetime is { } lifetime)
        {
            providerSettings[IdentityProviderSettings.AccessTokenLifetimeKey] = lifetime.ToString("c");
        }

        var provider = await IdentityProviderHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(providerSettings));
        await provider.StartAsync(Cancel);

        var apiSettings = IdentityProviderFixture.TrustSettings(issuer);
        apiSettings[PageSignIn.IssuerSetting] = issuer.AbsoluteUri;
        apiSettings[PageSignIn.ClientIdSetting] = IdentityProviderSettings.PageClientId;
        apiSettings[PageSignIn.ScopeSetting] = "openid profile roles offline_access";
        var api = ApiFactory.Create(fixture.ConnectionString, fixture.ClusterId, settings: apiSettings);
        api.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        api.StartServer();

        var harness = new PageHarness(api, origin, provider, folder);
        harness.playwright = await Playwright.CreateAsync();
        harness.Browser = await harness.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return harness;
    }

    /// <summary>A fresh browser context (its own cookies and storage: another user), in <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB", string timeZone = "Europe/Berlin")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            Locale = locale,
            TimezoneId = timeZone,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        return page;
    }

    /// <summary>Opens the page, signs in at the provider as the seeded <paramref name="user"/> and waits to be back, signed in.</summary>
    public async Task SignInAsync(IPage page, string user, string authority)
    {
        await page.GotoAsync(BaseAddress + "/");
        await page.Locator("body[data-ready='true']").WaitForAsync();
        await page.ClickAsync("#sign-in");
        // The provider's own page: no password, a button per seeded user.
        await page.ClickAsync($"button[name='{SignInPage.UserField}'][value='{user}']");
        // The first sign-in of a run warms the identity provider and the token exchange on a cold process: on a loaded CI
        // machine its redirect has taken more than the page's 20 s once, so it gets a minute (a bound, not a wait).
        await page.WaitForURLAsync(url => url.StartsWith(BaseAddress, StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync(authority);
    }

    /// <summary>The texts of a language as the page has them (wwwroot/lang-{code}.json).</summary>
    public static JsonElement Texts(string code)
    {
        using var stream = ApiPage.Files.GetFileInfo($"lang-{code}.json").CreateReadStream();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    /// <summary>Runs axe-core's WCAG 2.2 A/AA rules on the page as it is now; fails on any serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string where)
    {
        // Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline script) stays in force.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
              return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')) }));
            }
            """);
        var serious = violations.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe-core on {where}: " + string.Join("; ", serious.Select(v => v.ToString())));
    }

    /// <summary>Keeps a screenshot as a test artifact: attached to the result and written under artifacts/.</summary>
    public static async Task KeepScreenshotAsync(IPage page, string name)
    {
        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        await File.WriteAllBytesAsync(Path.Combine(artifacts.FullName, name), screenshot, Cancel);
        TestContext.Current.AddAttachment(name, screenshot, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Api.DisposeAsync();
        await provider.StopAsync();
        await provider.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
