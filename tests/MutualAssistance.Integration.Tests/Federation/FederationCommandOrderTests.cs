using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MutualAssistance.Testing;
using Npgsql;
using static MutualAssistance.Integration.Tests.FederationCalls;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The following node's commands (actions of its callers, sent to the ordering node) across a faulty link between
/// the two nodes of <see cref="FederationFixture"/> (its <see cref="ExchangeLink"/> refuses, freezes and restores):
/// sent and decided one at a time in order, each decided once and matched to its own decision, and waiting for a
/// frozen ordering node holds up neither reads nor a second action.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationCommandOrderTests(FederationFixture federation)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FederationNode KzNode => federation.Kz;

    private FederationNode CnNode => federation.Cn;

    [Fact]
    public async Task A_command_overtaken_by_a_later_one_is_decided_in_order_once_each_and_not_sent_again()
    {
        // The outside chaos run's case: KZ's command 1 waits on a refused link; once the link is back, command 2 went
        // at once, was applied first, and command 1 was answered with command 2's decision for ever after.
        var id = await AwaitingInformation("Overtaken command");

        KzNode.Link.Cut();
        try
        {
            using var provided = await Act(KzNode, Kz, "filer", id, "provide-information", new { note = "The holder is the company's director" });
            Assert.Equal(HttpStatusCode.Accepted, provided.StatusCode);

            // The link is back but node CN has not answered yet (frozen, not cut: command 1 may go out again and wait),
            // so command 1 is still undecided when command 2 is taken on the same version: queued behind it, not sent
            // ahead of it. (Restoring the link outright let command 1 be decided between the read of the version and
            // the second action now and then, which the If-Match then refused.)
            KzNode.Link.Freeze();
            using var withdrawn = await Act(KzNode, Kz, "filer", id, "withdraw", new { reason = "The case was closed at home" });
            Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
            var queued = await withdrawn.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal(2, queued.GetProperty("exchange").GetProperty("pendingCommands").GetArrayLength());
            Assert.True(KzNode.Link.Waiting <= 1, $"{KzNode.Link.Waiting} commands went out to the frozen peer at once");
        }
        finally
        {
            KzNode.Link.Restore();
        }

        // Decided in order: the information provided, then the withdrawal of the version before it refused and shown.
        var onKz = await Until(KzNode, Kz, "filer", id,
            r => r.GetProperty("exchange").GetProperty("pendingCommands").GetArrayLength() == 0, "both commands decided on node KZ");
        Assert.Equal("withdraw", onKz.GetProperty("exchange").GetProperty("lastRefused").GetProperty("action").GetString());
        Assert.Equal("version-mismatch", onKz.GetProperty("exchange").GetProperty("lastRefused").GetProperty("outcome").GetString());
        await SameHistoryOnBoth(KzNode, CnNode, id);
        var events = await Hashes(KzNode, Kz, "filer", id);
        Assert.Single(events, e => e.Contains(" provide-information ", StringComparison.Ordinal));
        Assert.Single(events, e => e.Contains(" action-refused ", StringComparison.Ordinal));

        // Each command has its own decision, and nothing waits to be sent again; the evidence kept is the filing's
        // receipt and one decision per command, not one per resend.
        Assert.Equal(["1 applied", "2 version-mismatch"], await Rows(KzNode, $"SELECT sequence || ' ' || outcome FROM exchange_commands WHERE request_id = '{id}' AND decided_at IS NOT NULL ORDER BY sequence"));
        Assert.Empty(await Rows(KzNode, $"SELECT sequence::text FROM exchange_commands WHERE request_id = '{id}' AND decided_at IS NULL"));
        var decisions = await Rows(KzNode, $"SELECT sequence || ' ' || outcome || ' ' || envelope_hash || ' ' || received_at FROM exchange_receipts WHERE request_id = '{id}' ORDER BY id");
        Assert.True(decisions.Count == 3, string.Join("\n", decisions));

        // The events a decision carried back are not sent again by node CN's relay only to be refused as duplicates.
        Assert.Empty(await Rows(CnNode, $"SELECT sequence::text FROM exchange_receipts WHERE request_id = '{id}' AND outcome = 'duplicate'"));
        Assert.Empty(await Rows(CnNode, $"SELECT peer FROM exchange_outbox WHERE request_id = '{id}' AND head_sequence > delivered_sequence"));
    }

    [Fact]
    public async Task Waiting_for_a_frozen_ordering_node_holds_no_turn_reads_are_served_and_a_second_action_queues_at_once()
    {
        var id = await AwaitingInformation("Frozen ordering node");

        KzNode.Link.Freeze();
        Task<HttpResponseMessage> first;
        try
        {
            first = Act(KzNode, Kz, "filer", id, "provide-information", new { note = "The bank is Example Bank JSC" });
            await Poll.Until(() => Task.FromResult(KzNode.Link.Waiting > 0 ? (object)true : null), Patience, "the first action waiting on the frozen link", Cancel);

            // While the first action waits for node CN, the request is read and a second action is taken on node KZ.
            var read = await Get(KzNode, Kz, "filer", id);
            Assert.NotNull(read);
            Assert.False(first.IsCompleted, "the read waited for the first action");
            using var second = await Act(KzNode, Kz, "filer", id, "withdraw", new { reason = "The case was closed at home" });
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.False(first.IsCompleted, "the second action waited for the first");

            // The first is told it is pending when the wait for the frozen node ends.
            using var answered = await first;
            Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        }
        finally
        {
            KzNode.Link.Restore();
        }

        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("exchange").GetProperty("pendingCommands").GetArrayLength() == 0, "both commands decided on node KZ");
        await SameHistoryOnBoth(KzNode, CnNode, id);
        // In order: the first applied; the second, taken on the version before the first, refused for it.
        Assert.Equal(["1 applied", "2 version-mismatch"], await Rows(KzNode, $"SELECT sequence || ' ' || outcome FROM exchange_commands WHERE request_id = '{id}' ORDER BY sequence"));
    }

    [Fact]
    public async Task A_command_waiting_longer_than_the_threshold_degrades_the_exchange_health_naming_it()
    {
        var id = await File(KzNode, Body("Long-waiting command"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        KzNode.Link.Cut();
        try
        {
            using var withdrawn = await Act(KzNode, Kz, "filer", id, "withdraw", new { reason = "The case was closed at home" });
            Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);

            // The command has waited an hour, as far as the node can tell (Exchange:DegradedAfter is 15 minutes).
            await Rows(KzNode, $"UPDATE exchange_commands SET created_at = now() - interval '1 hour' WHERE request_id = '{id}' RETURNING ''");
            var health = await Poll.Until(async () =>
            {
                var report = await KzNode.Anonymous().GetFromJsonAsync<JsonElement>("/health/exchange", Cancel);
                return report.GetProperty("status").GetString() == "Degraded" && report.GetProperty("description").GetString()!.Contains("last error", StringComparison.Ordinal)
                    ? report : (JsonElement?)null;
            }, Patience, "node KZ's exchange health degraded, with the relay's last error", Cancel);
            var description = health.GetProperty("description").GetString()!;
            Assert.Contains($"Command 1 of request {id}", description, StringComparison.Ordinal);
            Assert.Contains("node CN", description, StringComparison.Ordinal);
            Assert.Contains("cut", description, StringComparison.Ordinal); // its last error
            Assert.Equal(id, health.GetProperty("data").GetProperty("oldestCommandRequest").GetGuid());
        }
        finally
        {
            KzNode.Link.Restore();
        }

        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "withdrawn", "the withdrawal decided");
        var healthy = await KzNode.Anonymous().GetFromJsonAsync<JsonElement>("/health/exchange", Cancel);
        Assert.Equal("Healthy", healthy.GetProperty("status").GetString());
    }

    /// <summary>A request filed on node KZ to CN-MOJ, whose handler on node CN asked for information, seen so on node KZ.</summary>
    private async Task<Guid> AwaitingInformation(string subject)
    {
        var id = await File(KzNode, Body(subject));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "The account holder is not named" });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "awaiting-information", "awaiting information on node KZ");
        return id;
    }

    private static async Task<List<string>> Rows(FederationNode node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
