using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using MutualAssistance.Api.Security;
using MutualAssistance.IdentityProvider;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The development identity provider in this process on a real Kestrel port: the shipped seeded users plus one
/// without an authority (<see cref="NoAuthorityUser"/>), a signing key of its own, tokens for <see cref="TestTokens.Audience"/>.
/// </summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    /// <summary>The page client's registered redirect URI; never dialled, the tests read the redirect itself.</summary>
    public const string RedirectUri = "http://127.0.0.1:9/signed-in";

    public const string NoAuthorityUser = "no-authority";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "ma-idp-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? app;

    public Uri Issuer { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The settings with which the API trusts this provider (beside <see cref="TestTokens"/>).</summary>
    public IReadOnlyDictionary<string, string> ApiSettings => TrustSettings(Issuer);

    /// <summary>
    /// The settings with which the API trusts a provider on <paramref name="issuer"/> (beside <see cref="TestTokens"/>):
    /// in Development, the one environment that trusts it.
    /// </summary>
    public static Dictionary<string, string> TrustSettings(Uri issuer) => new()
    {
        ["environment"] = Microsoft.Extensions.Hosting.Environments.Development,
        [DevelopmentIdentityProvider.Section + ":Authority"] = issuer.AbsoluteUri,
        [DevelopmentIdentityProvider.Section + ":ValidAudiences:0"] = TestTokens.Audience,
    };

    /// <summary>Every setting the provider requires, for a provider on <paramref name="issuer"/> keeping its files in <paramref name="folder"/>.</summary>
    public static Dictionary<string, string?> Settings(Uri issuer, string folder) => new()
    {
        ["Urls"] = issuer.GetLeftPart(UriPartial.Authority),
        [IdentityProviderSettings.IssuerKey] = issuer.AbsoluteUri,
        [IdentityProviderSettings.AudienceKey] = TestTokens.Audience,
        [IdentityProviderSettings.RedirectUrisKey + ":0"] = RedirectUri,
        [IdentityProviderSettings.PostLogoutRedirectUrisKey + ":0"] = RedirectUri,
        [IdentityProviderSettings.UsersPathKey] = Path.Combine(folder, "users.json"),
        [IdentityProviderSettings.SigningKeyPathKey] = Path.Combine(folder, "signing-key.pem"),
    };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        var users = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "api", "MutualAssistance.IdentityProvider", "users.json")))!;
        users["users"]!.AsArray().Add(new JsonObject { ["id"] = NoAuthorityUser, ["name"] = "Nobody in particular", ["role"] = "handler" });
        await File.WriteAllTextAsync(Path.Combine(folder, "users.json"), users.ToJsonString());

        Issuer = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        app = await IdentityProviderHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(Settings(Issuer, folder)));
        await app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(folder, recursive: true);
    }
}
