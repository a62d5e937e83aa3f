using MutualAssistance.Api.Localization;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Orleans.Runtime.Messaging;

namespace MutualAssistance.Api;

/// <summary>
/// When the cluster or its database fails a call, the caller gets 503 (504 for a timeout) with Retry-After, never
/// 500, and the answer says what is known about the outcome (see <see cref="Classify"/>):
/// <list type="bullet">
/// <item>a read (GET, HEAD) changes nothing, whatever failed: <see cref="Unavailable"/>;</item>
/// <item>a write that provably never reached a grain: <see cref="NotApplied"/>, "nothing was changed; retry";</item>
/// <item>a write that may have reached its grain: <see cref="OutcomeUnknown"/>, with the advice its endpoint declares
/// (<see cref="RetryAdvice"/>): an action, re-read the request or retry with the same If-Match; a filing, retry with
/// the same Idempotency-Key; an idempotent write, repeat it; any other, read again before repeating it.</item>
/// </list>
/// Other exceptions are left to the other handlers.
/// </summary>
public sealed partial class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Problem types (RFC 9457 <c>type</c>); tag URIs (RFC 4151): they name, they are not fetched.</summary>
    public const string Unavailable = "tag:mutual-assistance,2026:problems/unavailable";

    public const string NotApplied = "tag:mutual-assistance,2026:problems/not-applied";

    public const string OutcomeUnknown = "tag:mutual-assistance,2026:problems/outcome-unknown";

    /// <summary>What a failed call tells about its outcome.</summary>
    public enum Failure
    {
        /// <summary>Not a failure of the cluster or its storage: left to other handlers.</summary>
        None,

        /// <summary>The call provably did not reach any grain: nothing was changed.</summary>
        NotDelivered,

        /// <summary>The call may have reached its grain and been applied, or not.</summary>
        Ambiguous,

        /// <summary>Like <see cref="Ambiguous"/>, and the reason is that no answer came in time.</summary>
        TimedOut,
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var failure = Classify(exception);
        if (failure == Failure.None)
        {
            return false;
        }

        var request = httpContext.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var status = failure == Failure.TimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable;
        var (type, title, detail) = (read, failure) switch
        {
            (true, _) => (Unavailable, ProblemText.ServiceUnavailable, ProblemText.ServiceUnavailableDetail),
            (false, Failure.NotDelivered) => (NotApplied, ProblemText.NotApplied, ProblemText.NotAppliedDetail),
            _ => (OutcomeUnknown, ProblemText.OutcomeUnknown, AdviceText(AdviceOf(httpContext))),
        };

        LogFailure(request.Method, request.Path, exception.GetType().Name, failure, status);
        httpContext.Response.StatusCode = status;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Type = type, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// The advice of the endpoint that failed, as it declared it. The exception handler runs the pipeline again with the
    /// endpoint and route values cleared, so they are read from its feature, which keeps the original ones.
    /// </summary>
    public static RetryAdvice AdviceOf(HttpContext httpContext) =>
        (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint())?.Metadata.GetMetadata<RetryAdviceMetadata>()?.Advice
        ?? RetryAdvice.ReadFirst;

    public static string AdviceText(RetryAdvice advice) => advice switch
    {
        RetryAdvice.SameIfMatch => ProblemText.OutcomeUnknownAction,
        RetryAdvice.SameIdempotencyKey => ProblemText.OutcomeUnknownFiling,
        RetryAdvice.Repeat => ProblemText.OutcomeUnknownRepeat,
        _ => ProblemText.OutcomeUnknownReadFirst,
    };

    /// <summary>
    /// Which failures prove that a call never reached a grain. Only a connection that could not be established
    /// (<see cref="ConnectionFailedException"/>: the API's client found no gateway it could connect to, or the
    /// gateway could not connect to the grain's silo) and a gateway shedding load on receipt
    /// (<see cref="GatewayTooBusyException"/>). A grain never lets such an exception out after its state write
    /// (reminder and read-model updates afterwards are retried, not thrown), so one raised inside a grain also
    /// means nothing was written. Everything else is ambiguous: a timeout (the grain may have finished), a silo
    /// that became unavailable or a connection that broke with the call in flight, any other rejection
    /// (<see cref="OrleansMessageRejectionException"/>; some are raised after a message was forwarded), and
    /// storage errors (an <see cref="NpgsqlException"/> during the state write may come after the commit).
    /// </summary>
    public static Failure Classify(Exception exception) => exception switch
    {
        ConnectionFailedException or GatewayTooBusyException => Failure.NotDelivered,
        TimeoutException => Failure.TimedOut,
        SiloUnavailableException or OrleansMessageRejectionException or NpgsqlException => Failure.Ambiguous,
        Orleans.Storage.InconsistentStateException => Failure.None,
        OrleansException { InnerException: { } inner } => Classify(inner),
        _ => Failure.None,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster or storage failed {Method} {Path}: {Error}, answered as {Failure} ({Status})")]
    private partial void LogFailure(string method, string path, string error, Failure failure, int status);
}
