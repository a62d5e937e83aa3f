using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.Contracts;
using MutualAssistance.Api.Apis;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Localization;
using MutualAssistance.Api.OpenApi;
using MutualAssistance.Api.Page;
using MutualAssistance.Audit;
using MutualAssistance.ReadSide.Queries;
using MutualAssistance.Api.Security;
using MutualAssistance.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Scalar.AspNetCore;

namespace MutualAssistance.Api;

public static class ApiHostingExtensions
{
    /// <summary>
    /// The API in a host of its own: the PostgreSQL data source and readiness checks, an Orleans client of the
    /// silos' gateways (<see cref="AddOrleansGatewayClient"/>), and the API's services
    /// (<see cref="AddMutualAssistanceApiServices"/>).
    /// </summary>
    public static WebApplicationBuilder AddMutualAssistanceApi(this WebApplicationBuilder builder)
    {
        var connectionString = builder.AddPostgres();
        builder.AddOrleansGatewayClient(connectionString);
        builder.AddClusterHealthCheck();
        return builder.AddMutualAssistanceApiServices();
    }

    /// <summary>
    /// An Orleans client that finds the silos' gateways in the PostgreSQL membership table (the separate shape; a
    /// silo that co-hosts the API has its own in-process client and must not call this).
    /// </summary>
    public static WebApplicationBuilder AddOrleansGatewayClient(this WebApplicationBuilder builder, string connectionString)
    {
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
        return builder;
    }

    /// <summary>
    /// The API's own services, whichever host serves it: JWT authentication (with its validated-token cache), only
    /// callers of the authorities this node serves (<see cref="ServedByThisNode"/>), per-caller rate limits, the read model's queries, JSON in camelCase with kebab-case enum values, RFC 9457
    /// problem details for every error, the OpenAPI document. The host provides an <see cref="IClusterClient"/>
    /// (a silo's own, or <see cref="AddOrleansGatewayClient"/>'s) and the <see cref="Npgsql.NpgsqlDataSource"/>
    /// (<see cref="PostgresExtensions.AddPostgres"/>) with the readiness checks.
    /// </summary>
    public static WebApplicationBuilder AddMutualAssistanceApiServices(this WebApplicationBuilder builder)
    {
        builder.AddMutualAssistanceAuthentication();
        ServedByThisNode.AddTo(builder.Services);
        PageSignIn.AddTo(builder.Services, builder.Configuration);
        builder.AddCallerRateLimiting();
        TrustedProxies.AddTo(builder.Services, builder.Configuration);

        builder.Services.TryAddSingleton(TimeProvider.System);
        MutualAssistance.Sealing.SealingServices.AddPersonIndex(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<RequestList>();
        builder.Services.AddSingleton<DeadlineBoard>();
        builder.Services.AddSingleton<BreachReport>();
        builder.Services.TryAddSingleton<MutualAssistance.Notifications.WebhookSubscriptions>();
        MutualAssistance.Notifications.WebhookTargetServices.AddWebhookTarget(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<AuthorityChanges>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuthorityChanges>());
        AddConsultationLog(builder);
        builder.Services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemLanguage.Localize);
        builder.Services.AddExceptionHandler<BadHttpRequestHandler>();
        builder.Services.AddExceptionHandler<AuditUnavailableHandler>();
        builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
        builder.Services.AddExceptionHandler<StorageConflictHandler>();
        builder.Services.AddMutualAssistanceOpenApi();
        return builder;
    }

    /// <summary>
    /// The consultation and disclosure log (README, "Consultation log"): the node's writer (shared with the silo when
    /// co-hosted), the API's side of it, the auditors' reads, the log-on hook, and the required <c>Audit</c> settings,
    /// validated at start-up.
    /// </summary>
    private static void AddConsultationLog(WebApplicationBuilder builder)
    {
        builder.Services.AddAuditLogWriter();
        // After the writer: hosted services stop in reverse, so the last window's counts are appended before it stops.
        builder.Services.AddSingleton<AnonymousRefusals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnonymousRefusals>());
        builder.Services.AddSingleton<ConsultationLog>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidation>();
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        builder.AddLogonLogging();
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(WireNames.Converter());
    }

    public static WebApplication UseMutualAssistanceApi(this WebApplication app)
    {
        if (TrustedProxies.From(app.Services.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value) is { } forwarded)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseRequestLocalization(ProblemLanguage.RequestOptions());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ApiPage.Files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = ApiPage.Files });
        app.UseMiddleware<BodySizeLimit>();
        app.UseMiddleware<AccessRefusalLogging>();
        app.UseAuthentication();
        // Before authorization: a call without a valid token is limited by its address before it is refused 401.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous().DisableRateLimiting();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }

    /// <summary>Every API route, the same in both hosts (health endpoints are the host's: <c>MapDefaultEndpoints</c>).</summary>
    public static IEndpointRouteBuilder MapMutualAssistanceApi(this IEndpointRouteBuilder app)
    {
        app.MapRequestsApi();
        app.MapErasureApi();
        app.MapAuthoritiesApi();
        app.MapDeadlinesApi();
        app.MapReportsApi();
        app.MapAuditApi();
        app.MapWebhooksApi();
        app.MapReferenceApi();
        app.MapApiPage();
        return app;
    }
}
