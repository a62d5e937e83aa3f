using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The sign-in page: no password, a button per seeded user, one form POSTed with its antiforgery token. Choosing a
/// user signs in with the provider's cookie and goes back to <c>returnUrl</c> (the authorization request that sent the
/// browser here), which then issues the code. Plain HTML with a stylesheet of its own and no script at all.
/// </summary>
public static class SignInPage
{
    public const string Path = "/signin";
    public const string StylesheetPath = "/signin.css";
    public const string UserField = "user";
    public const string ReturnUrlField = "returnUrl";

    private const string Stylesheet =
        """
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
        main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
        ul { list-style: none; padding: 0; }
        li { margin: 0.5rem 0; }
        button { font: inherit; width: 100%; text-align: start; padding: 0.6rem 0.8rem; border: 1px solid currentColor; border-radius: 0.3rem; background: Canvas; color: CanvasText; cursor: pointer; }
        button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
        .who { font-weight: 600; }
        fieldset { border: none; padding: 0; margin: 0; }
        legend { font-weight: 600; }
        """;

    public static void Map(WebApplication app)
    {
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css", Encoding.UTF8));
        app.MapGet("/", () => Results.Redirect(Path));
        app.MapGet(Path, Show);
        app.MapPost(Path, SignInAsync);
    }

    private static async Task<IResult> Show(HttpContext context, SeededUsers users, IAntiforgery antiforgery, [FromQuery(Name = ReturnUrlField)] string? returnUrl)
    {
        var signedIn = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var current = users.Find(signedIn.Principal?.FindFirstValue(Claims.Subject));
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append(
            """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · MutualAssistance development identity provider</title>
            """).Append("<link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\">\n</head>\n<body>\n<main>\n")
            .Append("<h1>Sign in</h1>\n")
            .Append("<p>The development identity provider of MutualAssistance: choose who you are. There is no password; it is never deployed.</p>\n");
        if (current is not null)
        {
            page.Append("<p role=\"status\">Signed in as <span class=\"who\">").Append(html.Encode(Label(current))).Append("</span>.</p>\n");
        }

        page.Append("<form method=\"post\" action=\"").Append(Path).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        if (LocalReturnUrl(returnUrl) is { } local)
        {
            page.Append("<input type=\"hidden\" name=\"").Append(ReturnUrlField).Append("\" value=\"").Append(html.Encode(local)).Append("\">\n");
        }

        page.Append("<fieldset>\n<legend>Seeded users</legend>\n<ul>\n");
        foreach (var user in users.All)
        {
            page.Append("<li><button type=\"submit\" name=\"").Append(UserField).Append("\" value=\"").Append(html.Encode(user.Id)).Append("\">")
                .Append(html.Encode(Label(user))).Append("</button></li>\n");
        }

        page.Append("</ul>\n</fieldset>\n</form>\n</main>\n</body>\n</html>\n");
        return Results.Content(page.ToString(), "text/html", Encoding.UTF8);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, SeededUsers users, [FromForm(Name = UserField)] string? user, [FromForm(Name = ReturnUrlField)] string? returnUrl)
    {
        if (users.Find(user) is not { } chosen)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown user", detail: $"No seeded user has the id '{user}'.");
        }

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, chosen.Id));
        identity.AddClaim(new Claim(Claims.Name, chosen.Name));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(LocalReturnUrl(returnUrl) ?? Path);
    }

    private static string Label(SeededUser user) =>
        $"{user.Name}: {user.Role}, {user.Authority ?? "no authority"}";

    /// <summary>
    /// The return URL when it stays on this provider, else null: the framework's rule for a local URL (a path from the
    /// root or <c>~/</c>, no <c>//</c> or <c>/\</c>, and no control character, which a browser drops: <c>/%09/evil</c> is
    /// <c>//evil</c> to it).
    /// </summary>
    private static string? LocalReturnUrl(string? url) => RedirectHttpResult.IsLocalUrl(url) ? url : null;
}
