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
        builder.AddClusterHealthCheck();
        return builder;
    }
}
