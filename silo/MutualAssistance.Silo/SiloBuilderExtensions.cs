using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Requests;

namespace MutualAssistance.Silo;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every silo of ours carries whatever its clustering: grain storage and reminders on PostgreSQL, the
    /// reference data (authorities, calendars, policies) read from <paramref name="referenceDataPath"/>, the clock
    /// deadlines run on (tests replace it), and trace propagation through grain calls.
    /// </summary>
    public static ISiloBuilder AddMutualAssistance(this ISiloBuilder silo, string connectionString, string referenceDataPath)
    {
        var path = Path.IsPathRooted(referenceDataPath) ? referenceDataPath : Path.Combine(AppContext.BaseDirectory, referenceDataPath);
        silo.Services.AddSingleton(new CurrentReferenceData(ReferenceDataFiles.Load(path)));
        silo.Services.TryAddKeyedSingleton(DeadlineTime.Key, TimeProvider.System);
        return silo
            .UsePostgresStorage(connectionString)
            .AddActivityPropagation();
    }
}
