using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo.Database;
using Orleans.Configuration;

namespace MutualAssistance.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// One Orleans silo on PostgreSQL. Start-up stops, naming the setting, when one is missing, and stops when
    /// the database schema is behind the migrations this build carries.
    /// </summary>
    public static WebApplicationBuilder AddMutualAssistanceSilo(this WebApplicationBuilder builder)
    {
        var connectionString = builder.AddPostgres();
        var settings = SiloSettings.Read(builder.Configuration);
        var referenceData = builder.Configuration.GetRequired("ReferenceData:Path");
        _ = ReferenceData.ReferenceChangeOptions.Read(builder.Configuration);
        DatabaseMigrator.EnsureUpToDate(connectionString);

        builder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            })
            .ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort)
            .UsePostgresClustering(connectionString)
            .AddMutualAssistance(connectionString, referenceData));
        ConfigureFailover(builder.Services, builder.Configuration);
        builder.AddClusterHealthCheck();
        return builder;
    }

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
