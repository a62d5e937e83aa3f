using MutualAssistance.Silo.Retention;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Federation;
using MutualAssistance.Silo.ReadModel;
using MutualAssistance.Silo.ReferenceData;
using MutualAssistance.Persistence;
using MutualAssistance.Sealing;
using MutualAssistance.Audit;
using MutualAssistance.ReadSide.Writing;

namespace MutualAssistance.Silo;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every silo of ours carries whatever its clustering: the request store (state, history and read model in
    /// one transaction per change), reminders on PostgreSQL, the deadline sweep, the reference data (authorities, calendars, policies) read from
    /// <paramref name="referenceDataPath"/>, the clock deadlines run on (tests replace it), and trace propagation
    /// through grain calls.
    /// </summary>
    public static ISiloBuilder AddMutualAssistance(this ISiloBuilder silo, string connectionString, string referenceDataPath)
    {
        var path = Path.IsPathRooted(referenceDataPath) ? referenceDataPath : Path.Combine(AppContext.BaseDirectory, referenceDataPath);
        var services = silo.Services;
        var files = ReferenceDataFiles.Load(path);
        services.TryAddKeyedSingleton(DeadlineTime.Key, TimeProvider.System);
        services.TryAddSingleton(_ => PostgresExtensions.CreateDataSource(connectionString));
        services.AddSingleton<ICalendarClosureStore, PostgresCalendarClosures>();
        services.AddSingleton(sp => new CurrentReferenceData(files, sp.GetRequiredService<ICalendarClosureStore>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClosureLoader>();
        services.AddRequiredOptions<ReferenceChangeOptions>(silo.Configuration, ReferenceChangeOptions.Section);
        services.AddSingleton<ReferenceChangeProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferenceChangeProcessor>());
        services.CarryNpgsqlExceptionsAcrossGrainCalls();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<AuthorityChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthorityChangeNotifier>());
        AddSealing(services, silo.Configuration);
        services.AddSingleton<IRequestStore, PostgresRequestStore>();
        // Before the exchange, so that it stops after the relay and writes the relay's last disclosures.
        services.AddAuditLogWriter();
        AddExchange(silo, files);
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section);
        services.AddSingleton<DeadlineSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweep>());
        AddNotifications(services, silo.Configuration);
        var legalBases = files.Instruments.BasisCodes.ToHashSet(StringComparer.Ordinal);
        services.AddRequiredOptions<RetentionSettings>(silo.Configuration, RetentionSettings.Section, settings => RetentionSettings.Problems(settings, legalBases));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionSettings>>().Value.Policy(legalBases));
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());

        return silo
            .UsePostgresStorage(connectionString)
            .AddActivityPropagation();
    }

    /// <summary>
    /// The authorities' webhooks (README, "Notifications"): the subscriptions, the hosts they may reach, the client that
    /// posts (connecting only where <see cref="MutualAssistance.Notifications.WebhookHosts"/> permits), the notifier.
    /// </summary>
    private static void AddNotifications(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<Notifications.WebhookOptions>(configuration, Notifications.WebhookOptions.Section, Notifications.WebhookOptions.Problems);
        services.TryAddSingleton<MutualAssistance.Notifications.WebhookSubscriptions>();
        MutualAssistance.Notifications.WebhookTargetServices.AddWebhookHosts(services, configuration);
        services.AddSingleton<Notifications.WebhookConnector>();
        services.AddHttpClient(Notifications.Notifier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Notifications.WebhookConnector>().Handler());
        services.AddRequiredOptions<Notifications.MailSettings>(configuration, Notifications.MailSettings.Section, Notifications.MailSettings.Problems);
        services.AddSingleton(sp => Notifications.MailOptions.FromSettings(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Notifications.MailSettings>>().Value));
        services.AddSingleton<Notifications.MailSender>();
        services.AddSingleton<Notifications.Notifier>();
        services.AddHostedService(sp => sp.GetRequiredService<Notifications.Notifier>());
    }

    /// <summary>
    /// Personal data sealed at rest (README "Sealed at rest"): the master keys wrapping the requests' data keys
    /// (section <c>Sealing</c>; tests and a KMS may put their own <see cref="IKeyWrapping"/> first), the data keys,
    /// and the person-search index key. A missing one stops start-up with its name.
    /// </summary>
    private static void AddSealing(IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(IKeyWrapping)))
        {
            services.AddRequiredOptions<MasterKeyOptions>(configuration, MasterKeyOptions.Section, MasterKeyOptions.Problems);
            services.AddSingleton<IKeyWrapping>(sp => MasterKeyRing.From(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MasterKeyOptions>>().Value));
        }

        services.AddPersonIndex(configuration);
        services.AddSingleton<DataKeys>();
    }

    /// <summary>
    /// The node's place in a federation (<see cref="NodeSettings"/>, section <c>Node</c>) and the exchange with its
    /// peers: the store, the signing keys and trust list, the relay that sends what waits. A node without peers
    /// carries them too, idle. (The HTTP endpoint is mapped by the silo's host: <see cref="ExchangeEndpoint"/>.)
    /// </summary>
    private static void AddExchange(ISiloBuilder silo, ReferenceDataSet files)
    {
        var services = silo.Services;
        var node = services.FirstOrDefault(d => d.ServiceType == typeof(NodeSettings))?.ImplementationInstance as NodeSettings;
        if (node is null)
        {
            node = NodeSettings.Read(silo.Configuration);
            services.AddSingleton(node);
        }

        node.Validate(files.Authorities);
        ExchangeOptions.AddTo(services, silo.Configuration);

        services.AddSingleton(node.Map);
        var clientCertificate = ExchangeClientCertificate.Read(silo.Configuration);
        services.AddHttpClient(ExchangeSender.ClientName).ConfigurePrimaryHttpMessageHandler(() => ExchangeClientCertificate.Handler(clientCertificate));
        services.AddSingleton<ExchangeKeys>();
        services.AddSingleton<ExchangeSender>();
        services.AddSingleton<ExchangeMetrics>();
        services.AddSingleton<ExchangeReceiver>();
        services.AddSingleton<PostgresExchangeStore>();
        services.AddSingleton<IExchangeStore>(sp => sp.GetRequiredService<PostgresExchangeStore>());
        services.AddSingleton<ExchangeRelay>();
        services.AddSingleton<IPeerLink>(sp => sp.GetRequiredService<ExchangeRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeRelay>());
        services.AddHealthChecks().AddCheck<ExchangeHealthCheck>("exchange", tags: [ExchangeEndpoint.HealthTag]);
        if (!node.Map.Peers.IsEmpty)
        {
            ExchangeListenerSettings.AddTo(services, silo.Configuration);
            services.AddSingleton<ExchangeListener>();
            services.AddHostedService(sp => sp.GetRequiredService<ExchangeListener>());
        }
    }
}
