using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Storage;

namespace MutualAssistance.Api;

/// <summary>
/// A version conflict inside the cluster (two activations of one request raced to write) is reported as 409:
/// the losing write changed nothing, and the caller may read the request again and retry.
/// </summary>
public sealed class StorageConflictHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not InconsistentStateException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status409Conflict,
                Title = ProblemText.ConcurrentChange,
                Detail = ProblemText.ConcurrentChangeDetail,
            },
        });
    }
}
