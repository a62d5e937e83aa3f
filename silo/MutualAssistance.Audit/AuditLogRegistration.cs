using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MutualAssistance.Audit;

/// <summary>The consultation log's writer, once per process whichever hosts register it (the API's services, the silo, or both when co-hosted).</summary>
public static class AuditLogRegistration
{
    /// <summary>Registers <see cref="AuditLogWriter"/> and runs it; it needs the process's <see cref="Npgsql.NpgsqlDataSource"/>.</summary>
    public static IServiceCollection AddAuditLogWriter(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AuditLogWriter)))
        {
            return services;
        }

        services.AddMetrics();
        services.TryAddSingleton<AuditLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLogWriter>());
        return services;
    }
}
