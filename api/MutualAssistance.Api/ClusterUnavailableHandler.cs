using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace MutualAssistance.Api;

/// <summary>
/// When the cluster or its database cannot be reached the caller gets 503 with Retry-After, not 500:
/// nothing was acknowledged, and the same call may be retried. Other exceptions are left to the default handler.
/// </summary>
public sealed class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailability(exception))
        {
            return false;
        }

        logger.LogWarning("Cluster or storage unavailable for {Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "The cluster or its storage cannot be reached right now. Nothing was changed; retry after the given delay.",
            },
        });
    }

    private static bool IsUnavailability(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException or NpgsqlException => true,
        Orleans.Storage.InconsistentStateException => false,
        OrleansException { InnerException: { } inner } => IsUnavailability(inner),
        _ => false,
    };
}
