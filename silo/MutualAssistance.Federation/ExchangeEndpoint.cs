
namespace MutualAssistance.Federation;

/// <summary>
/// The exchange's health on the node's HTTP port (<c>/health/exchange</c>, with its details). The one route between
/// nodes (POST a signed envelope, get a signed answer or a problem) is served by <see cref="ExchangeListener"/> on a
/// port of its own, never on the API's.
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
