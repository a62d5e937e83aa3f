using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using MutualAssistance.Api.Security;
using MutualAssistance.Integration.Tests;

[assembly: Trait("Category", "Fast")]

namespace MutualAssistance.Api.Tests;

/// <summary>
/// The validated-token cache through the real authentication set-up (AddMutualAssistanceAuthentication) on a test
/// server, counting the token handler's validations: a hit skips validation; expiry, the cache's own age limit and a
/// change of signing keys end it; a tampered token is never served from the genuine one's entry; refused tokens are
/// not kept; the size is bounded.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_seen_before_succeeds_without_being_validated_again()
    {
        await using var host = await AuthHost.StartAsync();
        var token = TestTokens.For("CN-MOJ", "handler");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("CN-MOJ/handler@CN-MOJ", await host.WhoAsync(token));
        }

        Assert.Equal(1, host.Validations);
        Assert.Equal("KZ-GP/filer@KZ-GP", await host.WhoAsync(TestTokens.For("KZ-GP", "filer")));
        Assert.Equal(2, host.Validations);
    }

    [Fact]
    public async Task An_expired_token_is_never_served_from_the_cache()
    {
        await using var host = await AuthHost.StartAsync();
        var expires = host.Time.GetUtcNow().UtcDateTime.AddMinutes(5);
        var token = TestTokens.For("CN-MOJ", "handler", expires: expires);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).StatusCode);

        host.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).StatusCode);
        Assert.Equal(1, host.Validations);

        // One second past exp: not served from the cache but validated again, which still accepts it within the
        // clock skew (Authentication:ClockSkew, 30 s here) and does not keep it.
        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).StatusCode);
        Assert.Equal(2, host.Validations);

        // Past the skew: validated again and refused (the test server's lifetime check reads the same clock).
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(token)).StatusCode);
        Assert.Equal(3, host.Validations);
    }

    [Fact]
    public async Task The_clock_skew_is_the_settings_on_a_token_seen_before_or_not()
    {
        await using var host = await AuthHost.StartAsync();
        var now = host.Time.GetUtcNow().UtcDateTime;
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(TestTokens.For("CN-MOJ", "handler", expires: now.AddSeconds(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(TestTokens.For("CN-MOJ", "handler", expires: now.AddSeconds(-60)))).StatusCode);

        // Cached while valid: served until exp, validated (and accepted) within the skew after it, refused past it.
        var cached = TestTokens.For("CN-MOJ", "handler", expires: now.AddSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(cached)).StatusCode);
        var validations = host.Validations;
        host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(cached)).StatusCode);
        Assert.Equal(validations + 1, host.Validations);
        host.Time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(cached)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00:00:31")]
    [InlineData("00:05:00")]
    [InlineData("-00:00:01")]
    [InlineData("thirty seconds")]
    public void A_missing_or_too_large_clock_skew_stops_start_up_naming_it(string? value)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(TestTokens.Settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.Configuration[AuthenticationSetup.ClockSkewSetting] = value;
        var error = Assert.ThrowsAny<InvalidOperationException>(() => builder.AddMutualAssistanceAuthentication());
        Assert.Contains($"'{AuthenticationSetup.ClockSkewSetting}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_is_served_at_most_its_maximum_age_then_validated_again()
    {
        await using var host = await AuthHost.StartAsync();
        // Expires in 90 minutes (TestTokens makes it valid from 2 hours before its expiry), far beyond the maximum age.
        var token = TestTokens.For("CN-MOJ", "handler", expires: host.Time.GetUtcNow().UtcDateTime.AddMinutes(90));
        await host.WhoAsync(token);
        host.Time.Advance(ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1));
        await host.WhoAsync(token);
        Assert.Equal(1, host.Validations);

        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.WhoAsync(token);
        Assert.Equal(2, host.Validations);
    }

    [Fact]
    public async Task A_tampered_token_is_not_served_from_the_genuine_ones_entry()
    {
        await using var host = await AuthHost.StartAsync();
        var genuine = TestTokens.For("CN-MOJ", "handler");
        await host.WhoAsync(genuine);

        // Same header and signature, a payload that names another authority; and the genuine payload with another signature.
        var parts = genuine.Split('.');
        var otherPayload = TestTokens.For("RU-GP", "supervisor").Split('.')[1];
        var forgedSignature = parts[2][..^2] + (parts[2][^2] == 'A' ? "B" : "A") + parts[2][^1];
        foreach (var tampered in new[] { $"{parts[0]}.{otherPayload}.{parts[2]}", $"{parts[0]}.{parts[1]}.{forgedSignature}", genuine + "x" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(tampered)).StatusCode);
        }

        Assert.Equal(4, host.Validations);
        Assert.Equal("CN-MOJ/handler@CN-MOJ", await host.WhoAsync(genuine));
        Assert.Equal(4, host.Validations);
    }

    [Fact]
    public async Task A_token_refused_for_its_claims_is_not_kept()
    {
        await using var host = await AuthHost.StartAsync();
        var noAuthority = TestTokens.For("CN-MOJ", "handler", withAuthority: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(noAuthority)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(noAuthority)).StatusCode);
        Assert.Equal(2, host.Validations);
        Assert.Equal(0, host.Cache.Count);
    }

    [Fact]
    public async Task New_signing_keys_from_the_authority_end_the_entries_of_the_old_ones()
    {
        var first = new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = "first" };
        var second = new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = "second" };
        var authority = new SwappableConfiguration(first);
        await using var host = await AuthHost.StartAsync(authority);
        var claims = new Dictionary<string, object> { ["sub"] = "h", ["authority"] = "CN-MOJ", ["role"] = "handler" };
        var signedWithFirst = TestTokens.Minted(claims, key: first);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(signedWithFirst)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(signedWithFirst)).StatusCode);
        Assert.Equal(1, host.Validations);

        // The issuer withdraws the first key (its manager hands out a new configuration): the cached token is refused.
        authority.Rotate(second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(signedWithFirst)).StatusCode);
        Assert.Equal(2, host.Validations);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(TestTokens.Minted(claims, key: second))).StatusCode);
    }

    [Fact]
    public async Task Rebuilt_options_are_a_new_key_set_and_the_token_is_validated_again()
    {
        await using var host = await AuthHost.StartAsync();
        var token = TestTokens.For("CN-MOJ", "handler");
        await host.WhoAsync(token);
        await host.WhoAsync(token);
        Assert.Equal(1, host.Validations);

        // What a restart or a reload of the JwtBearer options does to the static keys: a new instance.
        host.Services.GetRequiredService<IOptionsMonitorCache<JwtBearerOptions>>().TryRemove(JwtBearerDefaults.AuthenticationScheme);
        await host.WhoAsync(token);
        Assert.Equal(2, host.Validations);
    }

    [Fact]
    public async Task The_cache_holds_no_more_than_its_capacity()
    {
        await using var host = await AuthHost.StartAsync(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(TestTokens.For("CN-MOJ", "handler", subject: $"caller-{i}"))).StatusCode);
            Assert.True(host.Cache.Count <= 3, $"{host.Cache.Count} entries");
        }
    }

    [Fact]
    public async Task Each_hit_gets_its_own_copy_of_the_principal()
    {
        await using var host = await AuthHost.StartAsync();
        var token = TestTokens.For("CN-MOJ", "handler");
        Assert.Equal("1", await host.GetStringAsync(token, "/mutate"));
        Assert.Equal("1", await host.GetStringAsync(token, "/mutate"));
        Assert.Equal(1, host.Validations);
    }

    /// <summary>A test server with the API's authentication, a fake clock, and a token handler that counts validations.</summary>
    private sealed class AuthHost : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly HttpClient client;
        private readonly CountingTokenHandler handler;

        private AuthHost(WebApplication app, CountingTokenHandler handler, FakeTimeProvider time)
        {
            this.app = app;
            this.handler = handler;
            Time = time;
            client = app.GetTestClient();
        }

        public FakeTimeProvider Time { get; }

        public int Validations => handler.Validations;

        public IServiceProvider Services => app.Services;

        public ValidatedTokenCache Cache => app.Services.GetRequiredService<ValidatedTokenCache>();

        public static async Task<AuthHost> StartAsync(SwappableConfiguration? authority = null, int capacity = ValidatedTokenCache.Capacity)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var handler = new CountingTokenHandler();
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.WebHost.UseTestServer();
            var settings = TestTokens.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
            settings[AuthenticationSetup.ClockSkewSetting] = "00:00:30";
            if (authority is not null)
            {
                settings.Remove("Authentication:Schemes:Bearer:SigningKeys:0:Issuer");
                settings.Remove("Authentication:Schemes:Bearer:SigningKeys:0:Value");
                settings["Authentication:Schemes:Bearer:Authority"] = "https://idp.example";
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSingleton(sp => new ValidatedTokenCache(sp.GetRequiredService<TimeProvider>(), capacity));
            builder.Services.AddProblemDetails();
            builder.AddMutualAssistanceAuthentication();
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
                // Lifetime on the test's clock, as the cache reads it.
                options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
                    expires is { } exp && exp > time.GetUtcNow().UtcDateTime - parameters.ClockSkew
                    && (notBefore is not { } nbf || nbf <= time.GetUtcNow().UtcDateTime + parameters.ClockSkew);
                if (authority is not null)
                {
                    options.ConfigurationManager = authority;
                }
            });

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/who", (ClaimsPrincipal user) => $"{user.Authority()}/{user.Identity?.Name}");
            // A request that changes its own user must not change the next request's.
            app.MapGet("/mutate", (ClaimsPrincipal user) =>
            {
                ((ClaimsIdentity)user.Identity!).AddClaim(new Claim("marker", "x"));
                return user.FindAll("marker").Count().ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
            await app.StartAsync();
            return new AuthHost(app, handler, time);
        }

        public async Task<HttpResponseMessage> GetAsync(string token, string path = "/who")
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await client.SendAsync(request, Cancel);
        }

        public async Task<string> GetStringAsync(string token, string path)
        {
            var response = await GetAsync(token, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Cancel);
        }

        public Task<string> WhoAsync(string token) => GetStringAsync(token, "/who");

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.DisposeAsync();
        }
    }

    /// <summary>The API's token handler, counting the validations it performs.</summary>
    private sealed class CountingTokenHandler : JsonWebTokenHandler
    {
        private int validations;

        public CountingTokenHandler() => MapInboundClaims = false;

        public int Validations => validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref validations);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    /// <summary>An OIDC authority's configuration manager whose signing keys the test rotates (a refresh hands out a new configuration).</summary>
    private sealed class SwappableConfiguration(SecurityKey key) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        private OpenIdConnectConfiguration current = With(key);

        public void Rotate(SecurityKey next) => current = With(next);

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => Task.FromResult(current);

        public void RequestRefresh()
        {
        }

        private static OpenIdConnectConfiguration With(SecurityKey key)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
            configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
