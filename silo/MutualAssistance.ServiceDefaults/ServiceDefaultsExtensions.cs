using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MutualAssistance.ServiceDefaults;

/// <summary>Telemetry and health, the same for the silo and the API.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Our own meter and activity source.</summary>
    public const string TelemetryName = "MutualAssistance";

    /// <summary>Setting that switches on the Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public const string PrometheusSetting = "Telemetry:Prometheus";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // The host's graceful shutdown (HostOptions:ShutdownTimeout); Kubernetes' grace period must exceed it.
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));

        builder.Services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(TelemetryName)
                .AddSource("Microsoft.Orleans.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddNpgsql())
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(TelemetryName)
                    .AddMeter("Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (builder.Configuration.GetValue<bool>(PrometheusSetting))
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live]);
        return builder;
    }

    /// <summary>Adds the readiness check that the Orleans cluster answers (silo or client).</summary>
    public static IHostApplicationBuilder AddClusterHealthCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary><c>/health/live</c>: the process runs. <c>/health/ready</c>: cluster and database answer.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(PrometheusSetting))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().DisableRateLimiting();
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Live) })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready) })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }
}
