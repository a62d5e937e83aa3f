using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Http.Features;

namespace MutualAssistance.Api;

/// <summary>
/// Refuses request bodies over <see cref="MaxBytes"/> with 413 and problem details, before anything reads them:
/// by the declared length, and (on Kestrel) by the server's own limit for bodies sent without one. An endpoint that
/// declares its own limit (<see cref="IRequestSizeLimitMetadata"/>) keeps it. (The exchange between nodes has a listener of its own, with its own limit.)
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next)
{
    public const long MaxBytes = 256 * 1024;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = ProblemText.BodyTooLarge, Detail = $"At most {limit} bytes." },
            });
            return;
        }

        await next(context);
    }
}
