using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Diagnostics;

namespace MutualAssistance.Api;

/// <summary>Requests the server itself refused while reading them (a body over the limit, a broken body): their status, as problem details.</summary>
public sealed class BadHttpRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode, Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemText.BodyTooLarge : ProblemText.BadRequest, Detail = bad.Message },
        });
    }
}
