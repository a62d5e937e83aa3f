using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.Contracts;
using MutualAssistance.Api.ReadModel;
using MutualAssistance.Api.Security;
using MutualAssistance.ServiceDefaults;
using Orleans.Configuration;
using Scalar.AspNetCore;

namespace MutualAssistance.Api;

public static class ApiHostingExtensions
{
    /// <summary>
    /// The API host: an Orleans client that finds the silos' gateways in the PostgreSQL membership table, JWT
    /// authentication, per-caller rate limits, JSON in camelCase with kebab-case enum values, and RFC 9457
    /// problem details for every error.
    /// </summary>
    public static WebApplicationBuilder AddMutualAssistanceApi(this WebApplicationBuilder builder)
    {
        var connectionString = builder.AddPostgres();
        var clusterId = builder.Configuration.GetRequired("Orleans:ClusterId");
        var serviceId = builder.Configuration.GetRequired("Orleans:ServiceId");

        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            })
            .UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            })
            // Find new silos' gateways within seconds, not the default minute, after a restart or scale-out.
            .Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5))
            // Give up on an answer after 5 s, not the default 30 s: a call to a grain on a silo that died meanwhile
            // fails over in seconds (ClusterTimings; the answer is then "outcome unknown", 504).
            .Configure<ClientMessagingOptions>(options => options.ResponseTimeout = ClusterTimings.ResponseTimeout)
            .Configure<ClientMessagingOptions>(builder.Configuration.GetSection(ClusterTimings.MessagingSection))
            .AddActivityPropagation());
        builder.AddClusterHealthCheck();
        builder.AddMutualAssistanceAuthentication();
        builder.AddCallerRateLimiting();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RequestList>();
        builder.Services.AddSingleton<DeadlineBoard>();
        builder.Services.AddSingleton<BreachReport>();
        builder.Services.AddSingleton<AuthorityChanges>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuthorityChanges>());
        builder.Services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadHttpRequestHandler>();
        builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
        builder.Services.AddExceptionHandler<StorageConflictHandler>();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(WireNames.Converter());
    }

    public static WebApplication UseMutualAssistanceApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMiddleware<BodySizeLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi().AllowAnonymous().DisableRateLimiting();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }
}
