using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using MutualAssistance.IdentityProvider;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The development identity provider (README "Sign-in (development identity provider)"), a real OpenIddict server on
/// a free port, driven through the authorization code flow with PKCE the way the page's browser would: the seeded
/// user's authority and role in a plain signed JWT for the API's audience, refresh, refusals (wrong verifier, unknown
/// client, unregistered redirect URI, no or plain PKCE), and the API trusting its tokens beside the Bearer keys.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdentityProviderTests(IdentityProviderFixture idp, ApiFixture api) : IClassFixture<IdentityProviderFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_code_flow_with_PKCE_issues_the_users_authority_and_role_and_a_refresh_token_that_refreshes()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (verifier, challenge) = AuthorizationCodeFlow.NewPkce();
        var code = await flow.SignInAsync("cn-handler", challenge, Cancel);

        var tokens = await Tokens(await flow.RedeemAsync(code, verifier, Cancel));
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", access.Typ);
        Assert.False(access.IsEncrypted);
        Assert.Equal(idp.Issuer.AbsoluteUri, access.Issuer);
        Assert.Contains(TestTokens.Audience, access.Audiences);
        Assert.Equal("cn-handler", access.Subject);
        Assert.Equal("CN-MOJ", access.GetClaim("authority").Value);
        Assert.Equal("handler", access.GetClaim("role").Value);
        Assert.True(tokens.TryGetProperty("id_token", out _));

        var refreshed = await Tokens(await flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!, Cancel));
        var renewed = new JsonWebToken(refreshed.GetProperty("access_token").GetString());
        Assert.NotEqual(access.EncodedToken, renewed.EncodedToken);
        Assert.Equal(("cn-handler", "CN-MOJ", "handler"), (renewed.Subject, renewed.GetClaim("authority").Value, renewed.GetClaim("role").Value));
        Assert.NotEqual(tokens.GetProperty("refresh_token").GetString(), refreshed.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task A_refresh_token_redeemed_again_is_refused_and_revokes_every_token_of_its_sign_in_and_no_other()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var first = await RefreshToken(await SignedIn(flow, "kz-filer"));
        var second = await RefreshToken(await flow.RefreshAsync(first, Cancel));
        using var elsewhere = new AuthorizationCodeFlow(idp.Issuer);
        var other = await RefreshToken(await SignedIn(elsewhere, "kz-filer"));

        // At once, not after a leeway: the copy and the original are one too many.
        Assert.Equal("invalid_grant", await Error(await flow.RefreshAsync(first, Cancel)));
        Assert.Equal("invalid_grant", await Error(await flow.RefreshAsync(second, Cancel)));

        // The same user's other sign-in is another family: it keeps refreshing.
        await RefreshToken(await elsewhere.RefreshAsync(other, Cancel));
    }

    [Fact]
    public async Task A_code_redeemed_again_is_refused_and_revokes_the_refresh_token_of_its_first_redemption()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (verifier, challenge) = AuthorizationCodeFlow.NewPkce();
        var code = await flow.SignInAsync("cn-handler", challenge, Cancel);
        var refresh = await RefreshToken(await flow.RedeemAsync(code, verifier, Cancel));

        Assert.Equal("invalid_grant", await Error(await flow.RedeemAsync(code, verifier, Cancel)));
        Assert.Equal("invalid_grant", await Error(await flow.RefreshAsync(refresh, Cancel)));
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_refused()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (_, challenge) = AuthorizationCodeFlow.NewPkce();
        var code = await flow.SignInAsync("kz-filer", challenge, Cancel);
        var (otherVerifier, _) = AuthorizationCodeFlow.NewPkce();

        Assert.Equal("invalid_grant", await Error(await flow.RedeemAsync(code, otherVerifier, Cancel)));
    }

    [Theory]
    [InlineData("unknown client", "'client_id'")]
    [InlineData("unregistered redirect URI", "'redirect_uri'")]
    [InlineData("redirect URI of another origin", "'redirect_uri'")]
    [InlineData("no code challenge", "'code_challenge'")]
    [InlineData("plain code challenge", "'code_challenge_method'")]
    public async Task An_authorization_request_of_an_unknown_client_or_redirect_uri_or_without_an_S256_challenge_is_refused_here_with_no_code(
        string what, string named)
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (verifier, challenge) = AuthorizationCodeFlow.NewPkce();
        var url = what switch
        {
            "unknown client" => AuthorizationCodeFlow.AuthorizeUrl(challenge, "s", clientId: "someone-else"),
            "unregistered redirect URI" => AuthorizationCodeFlow.AuthorizeUrl(challenge, "s", redirectUri: "http://127.0.0.1:9/elsewhere"),
            "redirect URI of another origin" => AuthorizationCodeFlow.AuthorizeUrl(challenge, "s", redirectUri: "https://attacker.example/signed-in"),
            "no code challenge" => AuthorizationCodeFlow.AuthorizeUrl(null, "s"),
            _ => AuthorizationCodeFlow.AuthorizeUrl(verifier, "s", method: "plain"),
        };

        // Refused by the provider itself (OpenIddict checks PKCE before the redirect URI): never a redirect carrying a code.
        var refused = await flow.GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(refused.Headers.Location);
        var body = await refused.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains(named, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_is_a_form_of_seeded_users_with_no_script_and_refuses_a_post_without_its_antiforgery_token()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var page = await flow.GetAsync(SignInPage.Path.TrimStart('/'), Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        foreach (var (user, label) in new[] { ("kz-filer", "filer, KZ-GP"), ("cn-handler", "handler, CN-MOJ"), ("kz-supervisor", "supervisor, KZ-GP"), ("kz-auditor", "auditor, KZ-GP") })
        {
            Assert.Matches($"<button type=\"submit\" name=\"user\" value=\"{user}\">[^<]*{label}</button>", html);
        }

        using var bare = new HttpClient { BaseAddress = idp.Issuer };
        var forged = await bare.PostAsync(SignInPage.Path.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "kz-admin" }), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Theory]
    [InlineData("/\t/localhost:6080/#x")] // a browser drops the tab: //localhost:6080/, another origin
    [InlineData("/\r\n/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("~//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("signin")]
    public async Task The_sign_in_page_goes_back_to_no_return_url_of_another_origin(string hostile)
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (kept, then) = await flow.ChooseReturningToAsync("kz-filer", hostile, Cancel);
        Assert.Null(kept);
        Assert.Equal(SignInPage.Path, then); // the page itself
    }

    [Fact]
    public async Task The_sign_in_page_goes_back_to_a_local_return_url()
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        const string local = "/connect/authorize?client_id=mutual-assistance-page&state=s%20t";
        Assert.Equal((local, local), await flow.ChooseReturningToAsync("kz-filer", local, Cancel));
    }

    [Fact]
    public async Task The_API_trusts_its_tokens_beside_the_bearer_keys_and_refuses_one_without_an_authority()
    {
        await using var trusting = ApiFactory.Create(api.ConnectionString, api.ClusterId, settings: idp.ApiSettings);

        var kz = trusting.CreateClient();
        kz.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AccessToken("kz-filer"));
        Assert.Equal(HttpStatusCode.OK, (await kz.GetAsync("/api/requests", Cancel)).StatusCode);

        // A dotnet user-jwts style token (the Bearer scheme's own keys) keeps working on the same API.
        Assert.Equal(HttpStatusCode.OK, (await trusting.As("KZ-GP", "filer").GetAsync("/api/requests", Cancel)).StatusCode);

        var nobody = trusting.CreateClient();
        nobody.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AccessToken(IdentityProviderFixture.NoAuthorityUser));
        var refused = await nobody.GetAsync("/api/requests", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'authority'", (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The API without the provider's settings does not trust its tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Unauthenticated(api.Api.CreateClient(), kz.DefaultRequestHeaders.Authorization)).StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    [InlineData("Acceptance-2")]
    public async Task Any_environment_but_Development_refuses_to_trust_the_development_identity_provider(string environment)
    {
        var settings = new Dictionary<string, string>(idp.ApiSettings) { ["environment"] = environment };
        await using var other = ApiFactory.Create(api.ConnectionString, api.ClusterId, settings: settings);
        var refused = Assert.Throws<InvalidOperationException>(() => other.CreateClient());
        Assert.Contains(MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section + ":Authority", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"'{environment}'", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Bearer values that look like a JWT to a quick check (three dot-separated segments) but are none.</summary>
    public static TheoryData<string> MalformedTokens => new()
    {
        "a.b.c",
        "!!!.@@@.###",
        "eyJhbGciOiJIUzI1NiJ9.W10.c2ln", // payload [] (JSON, not an object)
        "ImFsZyI.eyJpc3MiOiJ4In0.c2ln", // header "alg" (a JSON string)
        "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", // payload "not json"
        "..",
        "a.b.c.d.e",
        "",
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task A_malformed_bearer_token_is_401_with_a_problem_on_every_route_and_no_error_is_logged(string token)
    {
        await using var trusting = ApiFactory.Create(api.ConnectionString, api.ClusterId, settings: idp.ApiSettings);
        var client = trusting.CreateClient();
        var errorsBefore = CapturedErrors();
        foreach (var path in new[] { "/api/requests", $"/api/requests/{Guid.NewGuid()}", "/api/deadlines", "/api/authorities", "/api/webhooks", "/api/audit/log" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            await Unauthorized(await client.SendAsync(request, Cancel), path);
        }

        // The change stream also takes its token from the query.
        await Unauthorized(await client.GetAsync($"/api/deadlines/stream?access_token={Uri.EscapeDataString(token)}", Cancel), "the stream");
        Assert.Empty(CapturedErrors().Except(errorsBefore));
    }

    private static async Task Unauthorized(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Error-level log entries about reading a token (an unhandled exception while choosing the scheme was one: the
    /// token reader's IDX14 messages). Other tests run alongside and may log errors of their own.
    /// </summary>
    private static List<string> CapturedErrors() =>
        [.. MutualAssistance.Testing.CapturedTelemetry.Containing("log Error")
            .Where(e => e.Contains("IDX1", StringComparison.Ordinal) || e.Contains("SecurityToken", StringComparison.Ordinal) || e.Contains("JsonWebToken", StringComparison.Ordinal))];

    [Theory]
    [InlineData(IdentityProviderSettings.IssuerKey)]
    [InlineData(IdentityProviderSettings.AudienceKey)]
    [InlineData(IdentityProviderSettings.RedirectUrisKey + ":0")]
    [InlineData(IdentityProviderSettings.UsersPathKey)]
    [InlineData(IdentityProviderSettings.SigningKeyPathKey)]
    public async Task A_missing_setting_stops_start_up_naming_it(string key)
    {
        var settings = IdentityProviderFixture.Settings(new Uri("http://127.0.0.1:1/"), Path.GetTempPath());
        settings.Remove(key);
        var missing = await Assert.ThrowsAsync<MissingSettingException>(() =>
            IdentityProviderHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(settings)));
        Assert.Equal(key, missing.Key);
    }

    /// <summary>An access token of <paramref name="user"/>, signed in from a browser of their own.</summary>
    private async Task<string> AccessToken(string user)
    {
        using var flow = new AuthorizationCodeFlow(idp.Issuer);
        var (verifier, challenge) = AuthorizationCodeFlow.NewPkce();
        var code = await flow.SignInAsync(user, challenge, Cancel);
        return (await Tokens(await flow.RedeemAsync(code, verifier, Cancel))).GetProperty("access_token").GetString()!;
    }

    /// <summary>The code flow's token response for <paramref name="user"/>, signed in on <paramref name="flow"/>.</summary>
    private static async Task<HttpResponseMessage> SignedIn(AuthorizationCodeFlow flow, string user)
    {
        var (verifier, challenge) = AuthorizationCodeFlow.NewPkce();
        return await flow.RedeemAsync(await flow.SignInAsync(user, challenge, Cancel), verifier, Cancel);
    }

    private static async Task<string> RefreshToken(HttpResponseMessage response) =>
        (await Tokens(response)).GetProperty("refresh_token").GetString()!;

    private static async Task<HttpResponseMessage> Unauthenticated(HttpClient client, AuthenticationHeaderValue? authorization)
    {
        client.DefaultRequestHeaders.Authorization = authorization;
        return await client.GetAsync("/api/requests", Cancel);
    }

    private static async Task<JsonElement> Tokens(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static async Task<string?> Error(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetString();
    }
}
