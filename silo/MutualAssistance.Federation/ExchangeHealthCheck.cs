using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// What an operator must see of the exchange: how many requests wait to be delivered and since when, the commands
/// waiting for the ordering node, and which of each waits longest, with its last error. Degraded, so that the alert
/// does not pass silently: any request whose peer's receipt disagreed with this node's history, or anything waiting
/// longer than <c>Exchange:DegradedAfter</c> (the description names the request, its peer and why it waits).
/// </summary>
public sealed class ExchangeHealthCheck(PostgresExchangeStore store, NodeMap nodes, ExchangeOptions options, TimeProvider time) : IHealthCheck
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
        Describe(data, "oldestPending", backlog.OldestPending);
        Describe(data, "oldestCommand", backlog.OldestCommand);

        var problems = new List<string>();
        if (backlog.Disagreeing > 0)
        {
            problems.Add($"{backlog.Disagreeing} shared request(s) disagree with the peer's history.");
        }

        var now = time.GetUtcNow();
        if (backlog.OldestPending is { } events && now - events.Since > options.DegradedAfter)
        {
            problems.Add($"Request {events.RequestId}'s events have waited for node {events.Peer} since {Instant(events.Since)}{Because(events)}.");
        }

        if (backlog.OldestCommand is { } command && now - command.Since > options.DegradedAfter)
        {
            problems.Add($"Command {command.Sequence} of request {command.RequestId} has waited for node {command.Peer}'s decision since {Instant(command.Since)}{Because(command)}.");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded(string.Join(" ", problems), data: data)
            : HealthCheckResult.Healthy($"{backlog.PendingRequests} request(s) and {backlog.PendingCommands} command(s) wait for a peer.", data: data);
    }

    private static void Describe(Dictionary<string, object> data, string prefix, WaitingItem? item)
    {
        if (item is null)
        {
            return;
        }

        data[prefix + "Since"] = item.Since;
        data[prefix + "Request"] = item.RequestId;
        data[prefix + "Peer"] = item.Peer;
        if (item.Sequence is { } sequence)
        {
            data[prefix + "Sequence"] = sequence;
        }

        if (item.LastError is { } error)
        {
            data[prefix + "LastError"] = error;
        }
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Because(WaitingItem item) => item.LastError is { } error ? $" (last error: {error})" : " (not answered yet)";
}
