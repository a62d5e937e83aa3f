using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MutualAssistance.ServiceDefaults;

/// <summary>Ready when a round trip into the cluster finds at least one active silo.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // IManagementGrain.GetHosts takes no token; the wait below honours it.
#pragma warning disable CA2016
            var call = grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
#pragma warning restore CA2016
            var hosts = await call.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s).")
                : HealthCheckResult.Unhealthy("No active silo.");
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", e);
        }
    }
}
