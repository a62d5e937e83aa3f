using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo;
using Microsoft.Extensions.Time.Testing;
using MutualAssistance.Domain.Requests;
using Orleans.Configuration;
using Orleans.TestingHost;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// TestingHost clusters whose silos keep grain state and reminders in our PostgreSQL schema; with
/// <c>membershipInDatabase</c> their membership lives there too (silos and client find each other through it).
/// </summary>
public static class PostgresTestCluster
{
    private const string MembershipKey = "Test:MembershipInDatabase";
    private const string DeadlineClockKey = "Test:DeadlineClock";

    /// <summary>Where a fake deadline clock starts: a Monday night in UTC, before the calendars' 2025 holidays.</summary>
    public static readonly DateTimeOffset DeadlineClockStart = new(2025, 3, 3, 2, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The clock of each cluster started with one, by the id its silos find in their configuration (a silo
    /// configurator is made by TestingHost, so the clock cannot be handed to it): each fixture or test moves its own.
    /// </summary>
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> DeadlineClocks = new(StringComparer.Ordinal);

    /// <param name="deadlineClock">The clock deadlines run on (Orleans itself keeps real time); null: real time.</param>
    /// <param name="serviceId">The service whose grain state the silos share (storage keys carry it); null: one of the cluster's own.</param>
    public static async Task<TestCluster> StartAsync(string connectionString, bool membershipInDatabase, short silos = 1, FakeTimeProvider? deadlineClock = null, string? serviceId = null)
    {
        var builder = new TestClusterBuilder(silos);
        if (serviceId is not null)
        {
            // Clients outside the test cluster (the API) join this service over real sockets.
            builder.Options.ServiceId = serviceId;
            builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        }

        builder.Options.UseTestClusterMembership = !membershipInDatabase;
        var clockId = deadlineClock is null ? string.Empty : Guid.NewGuid().ToString("N");
        if (deadlineClock is not null)
        {
            DeadlineClocks[clockId] = deadlineClock;
        }

        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PostgresExtensions.ConnectionStringKey] = connectionString,
            [MembershipKey] = membershipInDatabase ? "true" : "false",
            [DeadlineClockKey] = clockId,
            // Tests run the sweep themselves.
            ["Sweep:Interval"] = "01:00:00",
            ["ReferenceChanges:PollInterval"] = "00:00:01",
            ["ReferenceChanges:Parallelism"] = "16",
            ["ReferenceChanges:PageSize"] = "500",
        }.Concat(NodeTestSettings.Alone)));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var connectionString = silo.Configuration.GetRequired(PostgresExtensions.ConnectionStringKey);
            if (silo.Configuration[DeadlineClockKey] is { Length: > 0 } clockId)
            {
                silo.Services.AddKeyedSingleton<TimeProvider>(DeadlineTime.Key, DeadlineClocks[clockId]);
            }

            silo.AddMutualAssistance(connectionString, TestReferenceData.Folder);
            if (silo.Configuration[MembershipKey] == "true")
            {
                silo.UsePostgresClustering(connectionString);
            }

            // Quick failure detection and short reminder periods, so tests see in seconds what takes minutes in production.
            silo.Services.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
            silo.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            if (configuration[MembershipKey] == "true")
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = OrleansPostgres.Invariant;
                    options.ConnectionString = configuration.GetRequired(PostgresExtensions.ConnectionStringKey);
                });
                client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            }
        }
    }
}
