namespace MutualAssistance.Api.Audit;

/// <summary>
/// Logs every API call answered 401 or 403, and 404 on a request (another authority's, or none: the two are not told
/// apart, to the caller or here), as <c>access.refused</c> with the status (<see cref="ConsultationLog.Refused"/>: one
/// entry per call of an authenticated caller, counts per source for anyone else). Sits after the exception handler and
/// before authentication, so it sees the status as sent, including authentication's challenges. The entry does not
/// hold up the answer.
/// </summary>
public sealed class AccessRefusalLogging(RequestDelegate next, ConsultationLog log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        await next(http);
        if (!http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return;
        }

        var status = http.Response.StatusCode;
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            || (status == StatusCodes.Status404NotFound && Requests.RequestRoute.IdOf(http) is not null))
        {
            await log.Refused(http, status);
        }
    }
}
