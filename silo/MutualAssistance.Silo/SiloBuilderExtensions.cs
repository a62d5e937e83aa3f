using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MutualAssistance.Silo;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every silo of ours carries whatever its clustering: grain storage and reminders on PostgreSQL,
    /// the system clock (tests replace it), and trace propagation through grain calls.
    /// </summary>
    public static ISiloBuilder AddMutualAssistance(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        return silo
            .UsePostgresStorage(connectionString)
            .AddActivityPropagation();
    }
}
