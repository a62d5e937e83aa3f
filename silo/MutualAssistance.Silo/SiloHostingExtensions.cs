using MutualAssistance.Api;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Persistence;
using MutualAssistance.Federation;
using Orleans.Configuration;

namespace MutualAssistance.Silo;

public static class SiloHostingExtensions
{
    /// <summary>The one setting that chooses the hosting shape (README, "Hosting shape"); required, no default.</summary>
    public const string ApiHostingSetting = "Api:Hosting";

    /// <summary><see cref="ApiHostingSetting"/>: this silo also serves the HTTP API, through its own in-process cluster client.</summary>
    public const string CoHosted = "co-hosted";

    /// <summary><see cref="ApiHostingSetting"/>: the API runs in its own host (MutualAssistance.Api.Host); this silo serves health only.</summary>
    public const string Separate = "separate";

    /// <summary>
    /// One Orleans silo on PostgreSQL, serving the HTTP API too when <c>Api:Hosting</c> is <c>co-hosted</c>.
    /// Start-up stops, naming the setting, when one is missing, and stops when the database schema is behind
    /// the migrations this build carries.
    /// </summary>
    public static WebApplicationBuilder AddMutualAssistanceSilo(this WebApplicationBuilder builder)
    {
        var connectionString = builder.AddPostgres();
        var settings = SiloSettings.Read(builder.Configuration);
        var coHosted = IsApiCoHosted(builder.Configuration);
        var referenceData = ReferenceDataOptions.ReadPath(builder.Configuration);
        builder.Services.AddSingleton(new ApiHostingShape(coHosted));
        builder.Services.AddSingleton(Federation.NodeSettings.Read(builder.Configuration));
        if (coHosted)
        {
            // Before the database check, so that a missing API setting is named first. No Orleans client: in a
            // silo, IClusterClient and IGrainFactory are the silo's own (no gateway hop). The data source and the
            // readiness checks are the silo's (AddPostgres here, AddClusterHealthCheck below).
            builder.AddMutualAssistanceApiServices();
        }

        builder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            })
            .ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort)
            .UsePostgresClustering(connectionString)
            .AddMutualAssistance(connectionString, referenceData));

        // After the silo's services are registered (UseOrleans configures at once), so that every setting they bind
        // and validate is named before the database is asked anything.
        DatabaseMigrator.EnsureUpToDate(connectionString);
        ConfigureFailover(builder.Services, builder.Configuration);
        builder.AddClusterHealthCheck();
        return builder;
    }

    /// <summary>The silo's HTTP pipeline: the API's middleware and routes when co-hosted, and the health endpoints.</summary>
    public static WebApplication MapMutualAssistanceSilo(this WebApplication app)
    {
        var coHosted = app.Services.GetRequiredService<ApiHostingShape>().CoHosted;
        if (coHosted)
        {
            app.UseMutualAssistanceApi();
        }

        app.MapDefaultEndpoints();
        app.MapExchange();
        if (coHosted)
        {
            app.MapMutualAssistanceApi();
        }

        return app;
    }

    /// <summary>Reads <see cref="ApiHostingSetting"/> (<see cref="ApiHostingOptions"/>): <c>co-hosted</c> or <c>separate</c>; missing or anything else stops start-up by name.</summary>
    public static bool IsApiCoHosted(IConfiguration configuration) => ApiHostingOptions.Read(configuration).CoHosted;

    /// <summary>Failure detection and response timeout (<see cref="ClusterTimings"/>), then what configuration overrides.</summary>
    public static void ConfigureFailover(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = ClusterTimings.ProbeTimeout;
            options.NumMissedProbesLimit = ClusterTimings.NumMissedProbesLimit;
            options.TableRefreshTimeout = ClusterTimings.TableRefreshTimeout;
        });
        services.Configure<ClusterMembershipOptions>(configuration.GetSection(ClusterTimings.MembershipSection));
        services.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = ClusterTimings.ResponseTimeout);
        services.Configure<SiloMessagingOptions>(configuration.GetSection(ClusterTimings.MessagingSection));
    }
}

/// <summary>Whether this silo serves the HTTP API (<see cref="SiloHostingExtensions.ApiHostingSetting"/>).</summary>
public sealed record ApiHostingShape(bool CoHosted);
