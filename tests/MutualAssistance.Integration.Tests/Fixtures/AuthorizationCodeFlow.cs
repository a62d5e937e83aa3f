using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using MutualAssistance.IdentityProvider;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A browser's part of the authorization code flow with PKCE, driven over HTTP with no browser: the provider's
/// cookies kept, redirects read rather than followed, the sign-in page's form posted with its antiforgery token.
/// </summary>
public sealed partial class AuthorizationCodeFlow : IDisposable
{
    public const string Scopes = "openid profile roles offline_access";

    private readonly HttpClient http;

    public AuthorizationCodeFlow(Uri issuer)
    {
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = issuer };
    }

    /// <summary>A fresh code verifier and its S256 challenge (RFC 7636).</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(
        string? challenge, string state, string clientId = IdentityProviderSettings.PageClientId,
        string redirectUri = IdentityProviderFixture.RedirectUri, string method = "S256")
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = Scopes,
            ["state"] = state,
        };
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
            query["code_challenge_method"] = method;
        }

        return QueryHelpers.AddQueryString("connect/authorize", query);
    }

    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken) => http.GetAsync(url, cancellationToken);

    /// <summary>GET /connect/authorize → the sign-in page → the chosen user POSTed → the redirect URI with a code.</summary>
    public async Task<string> SignInAsync(string user, string challenge, CancellationToken cancellationToken)
    {
        var state = Guid.NewGuid().ToString("N");
        var toSignIn = await http.GetAsync(AuthorizeUrl(challenge, state), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith(SignInPage.Path + "?", toSignIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await (await http.GetAsync(toSignIn.Headers.Location, cancellationToken)).Content.ReadAsStringAsync(cancellationToken);
        var signedIn = await http.PostAsync(SignInPage.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(page, "__RequestVerificationToken"),
            [SignInPage.ReturnUrlField] = Hidden(page, SignInPage.ReturnUrlField),
            [SignInPage.UserField] = user,
        }), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var toClient = await http.GetAsync(signedIn.Headers.Location, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var location = toClient.Headers.Location!;
        Assert.StartsWith(IdentityProviderFixture.RedirectUri + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var parameters = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, parameters["state"].ToString());
        return parameters["code"].ToString();
    }

    /// <summary>
    /// The sign-in page opened with <paramref name="returnUrl"/>, then <paramref name="user"/> chosen on it with that
    /// return URL posted back as it came: the return URL the page's form kept (null when none) and where choosing led.
    /// </summary>
    public async Task<(string? Kept, string? Then)> ChooseReturningToAsync(string user, string returnUrl, CancellationToken cancellationToken)
    {
        var opened = await http.GetAsync(QueryHelpers.AddQueryString(SignInPage.Path, SignInPage.ReturnUrlField, returnUrl), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var page = await opened.Content.ReadAsStringAsync(cancellationToken);
        var chosen = await http.PostAsync(SignInPage.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(page, "__RequestVerificationToken"),
            [SignInPage.ReturnUrlField] = returnUrl,
            [SignInPage.UserField] = user,
        }), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        return (HiddenOrNull(page, SignInPage.ReturnUrlField), chosen.Headers.Location?.OriginalString);
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, string verifier, CancellationToken cancellationToken) =>
        TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = IdentityProviderFixture.RedirectUri,
        }, cancellationToken);

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    public void Dispose() => http.Dispose();

    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["client_id"] = IdentityProviderSettings.PageClientId;
        return http.PostAsync("connect/token", new FormUrlEncodedContent(form), cancellationToken);
    }

    private static string Hidden(string page, string name) =>
        HiddenOrNull(page, name) ?? throw new InvalidOperationException($"The sign-in page has no hidden field '{name}'.");

    private static string? HiddenOrNull(string page, string name) =>
        HiddenInput().Matches(page).FirstOrDefault(m => WebUtility.HtmlDecode(m.Groups["name"].Value) == name) is { } match
            ? WebUtility.HtmlDecode(match.Groups["value"].Value)
            : null;

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
