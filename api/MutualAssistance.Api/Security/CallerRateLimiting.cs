using MutualAssistance.Api.Localization;
using System.Globalization;
using System.Threading.RateLimiting;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Security;

/// <summary>
/// A token bucket per caller: an authenticated one by subject and authority (<c>RateLimiting:PermitsPerSecond</c>
/// sustained, <c>RateLimiting:Burst</c> at once); anyone else (no token, or one that failed validation) by client
/// address (<see cref="ClientAddress"/>) with the tighter <c>RateLimiting:Anonymous:PermitsPerSecond</c> and
/// <c>RateLimiting:Anonymous:Burst</c>. Over it: 429 with Retry-After. It runs after the token is read and before
/// authorization (<see cref="ApiHostingExtensions.UseMutualAssistanceApi"/>), so a call that would be refused 401 is
/// limited too, and one refused 429 reaches no endpoint and leaves no entry in the consultation log.
/// </summary>
public static class CallerRateLimiting
{
    public static WebApplicationBuilder AddCallerRateLimiting(this WebApplicationBuilder builder)
    {
        var caller = Bucket(builder.Configuration, "RateLimiting");
        var anonymous = Bucket(builder.Configuration, "RateLimiting:Anonymous");
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.Identity?.IsAuthenticated == true
                    ? RateLimitPartition.GetTokenBucketLimiter($"caller/{context.User.Authority()}/{context.User.Identity.Name}", _ => caller)
                    : RateLimitPartition.GetTokenBucketLimiter("ip/" + ClientAddress.Named(context), _ => anonymous));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = ProblemText.TooManyRequests, Detail = $"Retry after {seconds} s." },
                });
            };
        });
        return builder;
    }

    /// <summary>The bucket of <paramref name="section"/>: its required <c>PermitsPerSecond</c> and <c>Burst</c>, whole numbers of at least one.</summary>
    private static TokenBucketRateLimiterOptions Bucket(IConfiguration configuration, string section) => new()
    {
        TokenLimit = Permits(configuration, $"{section}:Burst"),
        TokensPerPeriod = Permits(configuration, $"{section}:PermitsPerSecond"),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static int Permits(IConfiguration configuration, string key)
    {
        var value = configuration.GetRequired(key);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var permits) && permits > 0
            ? permits
            : throw new InvalidOperationException($"Setting '{key}' must be a whole number of at least 1, not '{value}'.");
    }
}
