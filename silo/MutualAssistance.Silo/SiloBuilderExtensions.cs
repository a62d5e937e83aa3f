using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Requests;
using MutualAssistance.Grains.Telemetry;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo.ReadModel;
using MutualAssistance.Silo.ReferenceData;
using MutualAssistance.Silo.Requests;
using MutualAssistance.ReadSide.Writing;
using Npgsql;

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
        var changes = ReferenceChangeOptions.Read(silo.Configuration);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(changes));
        services.AddSingleton<ReferenceChangeProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferenceChangeProcessor>());
        services.CarryNpgsqlExceptionsAcrossGrainCalls();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<AuthorityChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthorityChangeNotifier>());
        services.AddSingleton<IRequestStore, PostgresRequestStore>();
        services.Configure<SweepOptions>(silo.Configuration.GetSection("Sweep"));
        services.AddSingleton<DeadlineSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweep>());

        return silo
            .UsePostgresStorage(connectionString)
            .AddActivityPropagation();
    }
}
