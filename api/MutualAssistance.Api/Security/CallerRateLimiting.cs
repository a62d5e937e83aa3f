using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MutualAssistance.Api.Localization;
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
        builder.Services.AddRequiredOptions<CallerRateLimitOptions>(builder.Configuration, CallerRateLimitOptions.Section, CallerRateLimitOptions.Problems);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<CallerRateLimitOptions>>((options, limits) =>
        {
            var caller = Bucket(limits.Value.PermitsPerSecond, limits.Value.Burst);
            var anonymous = Bucket(limits.Value.Anonymous.PermitsPerSecond, limits.Value.Anonymous.Burst);
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

    /// <summary>A bucket of <paramref name="permitsPerSecond"/> sustained and <paramref name="burst"/> at once, no queue.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int permitsPerSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = permitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// Section <c>RateLimiting</c>: <c>PermitsPerSecond</c> and <c>Burst</c> per caller, and <c>Anonymous:PermitsPerSecond</c>
/// and <c>Anonymous:Burst</c> per client address, all required whole numbers of at least one; bound and validated at
/// start (<see cref="RequiredOptions"/>).
/// </summary>
public sealed class CallerRateLimitOptions
{
    public const string Section = "RateLimiting";

    [Required] public int PermitsPerSecond { get; set; }

    [Required] public int Burst { get; set; }

    public BucketOptions Anonymous { get; set; } = new();

    public static IEnumerable<string> Problems(CallerRateLimitOptions options) =>
        new[]
        {
            ("PermitsPerSecond", options.PermitsPerSecond), ("Burst", options.Burst),
            ("Anonymous:PermitsPerSecond", options.Anonymous.PermitsPerSecond), ("Anonymous:Burst", options.Anonymous.Burst),
        }.Where(setting => setting.Item2 < 1).Select(setting => $"Setting '{Section}:{setting.Item1}' must be a whole number of at least 1, not '{setting.Item2}'.");

    public sealed class BucketOptions
    {
        [Required] public int PermitsPerSecond { get; set; }

        [Required] public int Burst { get; set; }
    }
}
