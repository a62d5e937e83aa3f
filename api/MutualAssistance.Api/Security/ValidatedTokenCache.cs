using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;

namespace MutualAssistance.Api.Security;

/// <summary>
/// Bearer tokens already validated, so that the hot path does not check a token's signature, lifetime, issuer,
/// audience and claims again on every call. Keyed by the SHA-256 of the raw token (memory never holds bearer
/// tokens verbatim; a token altered in any byte is another key, validated from scratch). An entry holds the
/// principal of a token that passed every check, including <see cref="Caller.Problem"/>, and is served:
/// <list type="bullet">
/// <item>only before the token's <c>exp</c>, checked against <see cref="TimeProvider"/> at each hit (the clock
/// skew that full validation allows is not extended to cached tokens), and never more than <see cref="MaxAge"/>
/// after it was validated;</item>
/// <item>only while the signing keys in force are the ones it was validated under: the keys the JwtBearer
/// options hold (static keys, read once at start-up; a restart or a rebuild of the options is a new set) and
/// the configuration an OIDC authority's ConfigurationManager returns (a refresh, e.g. after the issuer rotated
/// or withdrew a key, is a new set). An entry of another set is dropped and the token validated again;</item>
/// <item>within <see cref="Capacity"/> entries (MemoryCache SizeLimit; beyond it new tokens are simply validated
/// every time until compaction makes room).</item>
/// </list>
/// Each hit hands out a deep copy of the principal, so nothing a request does to its user reaches another.
/// </summary>
public sealed class ValidatedTokenCache : IDisposable
{
    /// <summary>Most tokens held at once.</summary>
    public const int Capacity = 10_000;

    /// <summary>Longest an entry is served after its token was validated, whatever the token's <c>exp</c>.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private static readonly object PendingKey = new();

    private readonly MemoryCache cache;
    private readonly TimeProvider time;

    public ValidatedTokenCache(TimeProvider time, int capacity = Capacity)
    {
        this.time = time;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
    }

    /// <summary>Tokens held now.</summary>
    public int Count => cache.Count;

    /// <summary>
    /// From <see cref="JwtBearerEvents.OnMessageReceived"/>, after the token was located: a token validated under the
    /// keys in force and not yet expired succeeds here without validation; otherwise its hash and the key set are
    /// noted for <see cref="Remember"/>.
    /// </summary>
    public async Task OnMessageReceivedAsync(MessageReceivedContext context)
    {
        var token = context.Token ?? BearerToken(context.Request);
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        var keys = await KeySet.CurrentAsync(context.Options, context.HttpContext.RequestAborted);
        var key = Hash(token);
        if (cache.TryGetValue(key, out Entry? entry) && entry is not null)
        {
            if (entry.Keys.IsSameAs(keys) && time.GetUtcNow() < entry.Until)
            {
                context.Principal = Copy(entry.Principal);
                context.Properties.ExpiresUtc = entry.Expires;
                context.Success();
                return;
            }

            cache.Remove(key);
        }

        context.HttpContext.Items[PendingKey] = new Pending(key, keys);
    }

    /// <summary>
    /// From <see cref="JwtBearerEvents.OnTokenValidated"/>, once the principal passed every check (call it only then):
    /// keeps the principal until the token's expiry, at most <see cref="MaxAge"/>. A token without <c>exp</c> is not kept.
    /// </summary>
    public void Remember(TokenValidatedContext context)
    {
        if (context.HttpContext.Items[PendingKey] is not Pending pending || context.Principal is not { } principal || context.SecurityToken is null)
        {
            return;
        }

        var validTo = context.SecurityToken.ValidTo;
        if (validTo == DateTime.MinValue)
        {
            return;
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        var now = time.GetUtcNow();
        var until = expires < now + MaxAge ? expires : now + MaxAge;
        if (until <= now)
        {
            return;
        }

        cache.Set(pending.Key, new Entry(Copy(principal), expires, until, pending.Keys), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = until - now,
        });
    }

    public void Dispose() => cache.Dispose();

    /// <summary>The token as JwtBearerHandler takes it from the Authorization header.</summary>
    private static string? BearerToken(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }

    private static string Hash(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Expires, DateTimeOffset Until, KeySet Keys);

    private sealed record Pending(string Key, KeySet Keys);

    /// <summary>The signing keys in force, by identity: any new instance (options rebuilt, configuration refreshed) is another set.</summary>
    private sealed class KeySet(object? keys, object? key, object? configuration)
    {
        private readonly object? keys = keys;
        private readonly object? key = key;
        private readonly object? configuration = configuration;

        public static async ValueTask<KeySet> CurrentAsync(JwtBearerOptions options, CancellationToken cancellationToken)
        {
            var configuration = options.ConfigurationManager is { } manager ? await manager.GetConfigurationAsync(cancellationToken) : null;
            var parameters = options.TokenValidationParameters;
            return new KeySet(parameters.IssuerSigningKeys, parameters.IssuerSigningKey, configuration);
        }

        public bool IsSameAs(KeySet other) =>
            ReferenceEquals(keys, other.keys) && ReferenceEquals(key, other.key) && ReferenceEquals(configuration, other.configuration);
    }
}
