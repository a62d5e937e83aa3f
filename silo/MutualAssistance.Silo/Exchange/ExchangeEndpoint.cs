using Microsoft.AspNetCore.RateLimiting;

namespace MutualAssistance.Silo.Exchange;

/// <summary>
/// The one route between nodes: POST a signed envelope (COSE_Sign1), get a signed answer or a problem. It is
/// authenticated by the envelope's signature, not by a caller's token, and limited by its own size and rate limits
/// (not the callers' rate limit of the API).
/// </summary>
public static class ExchangeEndpoint
{
    /// <summary>The tag of the exchange's health check, served with its details at <c>/health/exchange</c>.</summary>
    public const string HealthTag = "exchange";

    public static IEndpointRouteBuilder MapExchange(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/exchange", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTag),
            ResponseWriter = WriteDetails,
        }).AllowAnonymous().DisableRateLimiting();
        // The server reads a little past the exchange's own limit, so that the endpoint answers an oversized
        // message itself (413, code too-large).
        var limit = app.ServiceProvider.GetRequiredService<ExchangeOptions>().MaxMessageBytes + (16 * 1024);
        app.MapPost("/" + ExchangeSender.Path, (HttpContext http, ExchangeReceiver receiver) => receiver.Handle(http))
            .WithName("ExchangeMessage")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limit))
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();
        return app;
    }

    private static Task WriteDetails(HttpContext http, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        var entry = report.Entries.Values.FirstOrDefault();
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            description = entry.Description,
            data = entry.Data,
        });
    }
}
