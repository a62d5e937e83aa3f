using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MutualAssistance.Silo.Exchange;

/// <summary>
/// What an operator must see of the exchange: how many requests wait to be delivered and since when, the commands
/// waiting for the ordering node, and any request whose peer's receipt disagreed with this node's history
/// (Degraded: the alert does not pass silently).
/// </summary>
public sealed class ExchangeHealthCheck(PostgresExchangeStore store, Grains.Federation.NodeMap nodes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (nodes.Peers.IsEmpty)
        {
            return HealthCheckResult.Healthy("No peers: nothing is exchanged.");
        }

        var backlog = await store.Backlog(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["pendingRequests"] = backlog.PendingRequests,
            ["pendingCommands"] = backlog.PendingCommands,
            ["disagreeing"] = backlog.Disagreeing,
        };
        if (backlog.OldestPending is { } since)
        {
            data["oldestPendingSince"] = since;
        }

        if (backlog.OldestCommand is { } commandSince)
        {
            data["oldestCommandSince"] = commandSince;
        }

        return backlog.Disagreeing > 0
            ? HealthCheckResult.Degraded($"{backlog.Disagreeing} shared request(s) disagree with the peer's history.", data: data)
            : HealthCheckResult.Healthy($"{backlog.PendingRequests} request(s) and {backlog.PendingCommands} command(s) wait for a peer.", data: data);
    }
}
