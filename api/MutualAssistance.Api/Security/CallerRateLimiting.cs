using MutualAssistance.Api.Localization;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Security;

/// <summary>
/// A token bucket per caller (subject and authority; the remote address before authentication):
/// <c>RateLimiting:PermitsPerSecond</c> sustained, <c>RateLimiting:Burst</c> at once. Over it: 429 with Retry-After.
/// </summary>
public static class CallerRateLimiting
{
    public static WebApplicationBuilder AddCallerRateLimiting(this WebApplicationBuilder builder)
    {
        var perSecond = int.Parse(builder.Configuration.GetRequired("RateLimiting:PermitsPerSecond"), CultureInfo.InvariantCulture);
        var burst = int.Parse(builder.Configuration.GetRequired("RateLimiting:Burst"), CultureInfo.InvariantCulture);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.User.Identity?.IsAuthenticated == true
                    ? $"{context.User.Authority()}/{context.User.Identity.Name}"
                    : "ip/" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
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
}
