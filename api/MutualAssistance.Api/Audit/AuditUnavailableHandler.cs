using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using MutualAssistance.Api.Requests;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// The consultation log could not be written: 503 with Retry-After, and nothing of what the entry was to record. A
/// read served nothing; a change (filing, action) was made, is in the request's history, and is not shown.
/// </summary>
public sealed partial class AuditUnavailableHandler(ILogger<AuditUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not AuditLogUnavailableException)
        {
            return false;
        }

        var request = httpContext.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        LogUnavailable(request.Method, request.Path, exception.InnerException?.GetType().Name ?? exception.GetType().Name);
        httpContext.Response.Headers.RetryAfter = ClusterUnavailableHandler.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResults.AuditLogUnavailable(read).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consultation log unavailable: {Method} {Path} answered 503 without its data ({Error})")]
    private partial void LogUnavailable(string method, string path, string error);
}
