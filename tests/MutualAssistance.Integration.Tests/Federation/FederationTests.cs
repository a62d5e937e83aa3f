using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;
using static MutualAssistance.Integration.Tests.FederationCalls;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A request between a Kazakh and a Chinese authority across two nodes (<see cref="FederationFixture"/>): filed on
/// one, seen and acted on on the other, the same history on both, whatever the link does meanwhile.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationTests(FederationFixture federation, DatabaseFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FederationNode KzNode => federation.Kz;

    private FederationNode CnNode => federation.Cn;

    [Fact]
    public async Task What_the_exchange_keeps_between_sends_is_sealed_at_rest_on_both_nodes()
    {
        var marker = "Ex" + Guid.NewGuid().ToString("N")[..10];
        var body = Body("Sealed between nodes");
        body["summaryOfFacts"] = $"Facts {marker}";
        body["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = $"Person {marker}", ["role"] = "suspect" });
        var id = await File(KzNode, body);
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = $"Statements, {marker}" });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "awaiting-information", "awaiting information on node KZ");

        // KZ's answer waits in its command queue while the link is down: stored, not in the clear.
        KzNode.Link.Cut();
        try
        {
            var provided = await Act(KzNode, Kz, "filer", id, "provide-information", new { note = $"Attached, {marker}" });
            Assert.Equal(HttpStatusCode.Accepted, provided.StatusCode);
            await AssertNotInDump(KzNode, id, marker);
        }
        finally
        {
            KzNode.Link.Restore();
        }

        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "submitted", "the information provided, on node KZ");
        var onCn = await Until(CnNode, Cn, "handler", id, r => r.GetProperty("status").GetString() == "submitted", "the information provided, on node CN");
        Assert.Equal($"Person {marker}", onCn.GetProperty("personsConcerned")[0].GetProperty("name").GetString());
        await AssertNotInDump(KzNode, id, marker);
        await AssertNotInDump(CnNode, id, marker);
    }

    [Fact]
    public async Task A_requested_date_with_its_reasons_reaches_the_peer_and_the_peers_changes_are_applied_back()
    {
        // UNTOC art. 18(24): the requested date travels with its reasons (filed.requestedByReasons). Both nodes then hold
        // the same filing, so the filing node still recognises the request in the changes the other node sends back.
        var body = Body("Dated under UNTOC", requested: "CN-MOJ");
        body["legalBasis"] = "untoc";
        body["requestedBy"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(60)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        body["requestedByReasons"] = "The trial opens then";
        var id = await File(KzNode, body);
        var onCn = await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        Assert.Equal("The trial opens then", onCn.GetProperty("requestedByReasons").GetString());

        await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "acknowledged", "the acknowledgement on node KZ");
        await SameHistoryOnBoth(KzNode, CnNode, id);
    }

    private async Task AssertNotInDump(FederationNode node, Guid id, string marker)
    {
        var dump = await database.Server.DumpAsync(new Npgsql.NpgsqlConnectionStringBuilder(node.ConnectionString).Database!);
        Assert.Contains(id.ToString(), dump, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, dump, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_request_filed_on_one_node_is_seen_and_acted_on_on_the_other_with_one_history_on_both()
    {
        var id = await File(KzNode, Body("Lifecycle across nodes"));

        // Visible on CN, to CN-MOJ's handler, and in its lists.
        var onCn = await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        Assert.Equal("submitted", onCn.GetProperty("status").GetString());
        Assert.Equal("KZ", onCn.GetProperty("exchange").GetProperty("peer").GetString());
        Assert.Equal("CN", onCn.GetProperty("exchange").GetProperty("orderedBy").GetString());

        // Acknowledged on CN, seen acknowledged on KZ.
        await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "acknowledged", "the acknowledgement on node KZ");

        // CN asks for information; KZ provides it on KZ: sent to CN, decided there at once, applied on both.
        await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "Account holders' identities" });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "awaiting-information", "awaiting information on node KZ");
        var provided = await Act(KzNode, Kz, "filer", id, "provide-information", new { note = "Identities attached" });
        Assert.Equal(HttpStatusCode.OK, provided.StatusCode);
        Assert.Equal("acknowledged", (await provided.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetString());

        await Acted(CnNode, Cn, "handler", id, "accept", new { });
        await Acted(CnNode, Cn, "handler", id, "execute", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "executed", "the execution on node KZ");
        var closed = await Act(KzNode, Kz, "filer", id, "close", new { });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        await SameHistoryOnBoth(KzNode, CnNode, id);
        var kzView = await Until(KzNode, Kz, "filer", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on KZ");
        var cnView = await Until(CnNode, Cn, "handler", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on CN");
        Assert.True(kzView.GetProperty("exchange").GetProperty("inAgreement").GetBoolean());
        Assert.True(cnView.GetProperty("exchange").GetProperty("inAgreement").GetBoolean());
        Assert.Equal(Clocks(kzView), Clocks(cnView));
    }

    [Fact]
    public async Task Conflicting_actions_during_a_partition_end_the_same_on_both_nodes_one_applied_and_the_other_refused()
    {
        var id = await File(KzNode, Body("Withdrawn while executed"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", id, "accept", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "accepted", "accepted on node KZ");

        KzNode.Link.Cut();
        CnNode.Link.Cut();
        try
        {
            // KZ withdraws: stored, pending (202), the request unchanged on KZ meanwhile.
            var withdrawn = await Act(KzNode, Kz, "filer", id, "withdraw", new { reason = "The case was closed at home" });
            Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
            var pending = await withdrawn.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal("accepted", pending.GetProperty("status").GetString());
            Assert.Equal("pending", pending.GetProperty("exchange").GetProperty("delivery").GetString());
            Assert.Equal("withdraw", pending.GetProperty("exchange").GetProperty("pendingCommands")[0].GetProperty("action").GetString());

            // CN executes meanwhile.
            await Acted(CnNode, Cn, "handler", id, "execute", new { });
        }
        finally
        {
            KzNode.Link.Restore();
            CnNode.Link.Restore();
        }

        // The ordering node decided: executed; the withdrawal refused, recorded, and shown to the KZ filer.
        var onKz = await Until(KzNode, Kz, "filer", id,
            r => r.GetProperty("status").GetString() == "executed" && r.GetProperty("exchange").GetProperty("pendingCommands").GetArrayLength() == 0,
            "the execution and the decision on the withdrawal on node KZ");
        var refused = onKz.GetProperty("exchange").GetProperty("lastRefused");
        Assert.Equal("withdraw", refused.GetProperty("action").GetString());
        // The filer withdrew the version it had seen; the ordering node had moved on (executed) meanwhile.
        Assert.Equal("version-mismatch", refused.GetProperty("outcome").GetString());
        await SameHistoryOnBoth(KzNode, CnNode, id);
        var events = await Hashes(KzNode, Kz, "filer", id);
        Assert.Single(events, e => e.Contains(" execute ", StringComparison.Ordinal));
        Assert.Single(events, e => e.Contains(" action-refused ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_peer_down_while_the_other_node_files_and_acts_gets_everything_in_order_once_it_is_back()
    {
        var acknowledged = await File(KzNode, Body("Acknowledged before the outage"));
        await Until(CnNode, Cn, "handler", acknowledged, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", acknowledged, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", acknowledged, r => r.GetProperty("status").GetString() == "acknowledged", "acknowledged on node KZ");

        await CnNode.StopAsync();
        var filed = new List<Guid>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                filed.Add(await File(KzNode, Body($"Filed while CN is down {i}")));
            }

            var withdrawn = await Act(KzNode, Kz, "filer", acknowledged, "withdraw", new { reason = "Settled" });
            Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
            var waiting = await Get(KzNode, Kz, "filer", filed[0]);
            Assert.Equal("pending", waiting!.Value.GetProperty("exchange").GetProperty("delivery").GetString());
            Assert.True(waiting.Value.GetProperty("exchange").TryGetProperty("lastError", out _));
        }
        finally
        {
            await CnNode.StartAsync();
        }

        foreach (var id in filed)
        {
            await Until(CnNode, Cn, "handler", id, r => true, $"filing {id} on node CN after its restart");
            await SameHistoryOnBoth(KzNode, CnNode, id);
        }

        await Until(KzNode, Kz, "filer", acknowledged, r => r.GetProperty("status").GetString() == "withdrawn", "the withdrawal decided on node CN and applied on KZ");
        await SameHistoryOnBoth(KzNode, CnNode, acknowledged);
        Assert.Single(await Hashes(CnNode, Cn, "handler", acknowledged), e => e.Contains(" withdraw ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_defect_while_sending_is_recorded_on_the_request_and_parked_instead_of_retried_on_the_backoff()
    {
        KzNode.Link.Break();
        Guid id;
        try
        {
            id = await File(KzNode, Body("Filed while sending is broken"));
            var parked = await Until(KzNode, Kz, "filer", id,
                r => r.GetProperty("exchange").TryGetProperty("lastError", out var error) && error.GetString() is { } text && text.StartsWith("defect: InvalidOperationException", StringComparison.Ordinal),
                "the defect recorded on the request");
            Assert.Equal("pending", parked.GetProperty("exchange").GetProperty("delivery").GetString());

            // Parked, read from the row rather than waited for: on the backoff (first retry 0.2 s, at most 2 s in the
            // tests' settings) its next attempt would be seconds away; parked, it is a day away.
            await using var connection = new Npgsql.NpgsqlConnection(KzNode.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var wait = new Npgsql.NpgsqlCommand(
                $"SELECT extract(epoch FROM next_attempt_at - now()) FROM exchange_outbox WHERE request_id = '{id}'", connection);
            Assert.True(Convert.ToDouble(await wait.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.FromHours(23).TotalSeconds,
                "the defect's row is parked for a day, not retried on the backoff");
        }
        finally
        {
            KzNode.Link.Restore();
        }

        // Parked, not lost: once released (as a fixed release a day later, or the peer's return, would) it is delivered.
        await using (var connection = new Npgsql.NpgsqlConnection(KzNode.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var release = new Npgsql.NpgsqlCommand($"UPDATE exchange_outbox SET next_attempt_at = now() WHERE request_id = '{id}'", connection);
            Assert.Equal(1, await release.ExecuteNonQueryAsync(Cancel));
        }

        await Until(CnNode, Cn, "handler", id, r => true, "the parked request on node CN once released");
        await SameHistoryOnBoth(KzNode, CnNode, id);
    }

    /// <summary>CN's other authorities in the directory: a forward stays within the requested state (EIO art. 7(6); UNTOC art. 18(13)).</summary>
    private static readonly string[] ForwardTargets = ["CN-SPP", "CN-MPS", "CN-SPC"];

    [Fact]
    public async Task A_backlog_longer_than_a_history_page_reaches_the_peer_whole()
    {
        var id = await File(KzNode, Body("Many events while the link is cut"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        CnNode.Link.Cut();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                await Acted(CnNode, Cn, "handler", id, "forward", new { forwardedTo = ForwardTargets[i % ForwardTargets.Length] });
                await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
            }
        }
        finally
        {
            CnNode.Link.Restore();
        }

        await SameHistoryOnBoth(KzNode, CnNode, id);
        Assert.Equal(601, (await Hashes(KzNode, Kz, "filer", id)).Count);
    }

    [Fact]
    public async Task A_sender_stopped_between_commit_and_send_sends_after_its_restart_and_the_receiver_applies_it_once()
    {
        KzNode.Link.Cut();
        Guid id;
        try
        {
            id = await File(KzNode, Body("Committed, then the node stopped"));
            await KzNode.StopAsync();
        }
        finally
        {
            KzNode.Link.Restore();
        }

        Assert.Null(await Get(CnNode, Cn, "handler", id));
        await KzNode.StartAsync();
        await Poll.Until(async () => await Get(CnNode, Cn, "handler", id), TimeSpan.FromSeconds(45), "the filing on node CN after KZ's restart", Cancel);
        await SameHistoryOnBoth(KzNode, CnNode, id);
    }

    [Fact]
    public async Task A_receiver_whose_commit_fails_answers_no_receipt_and_applies_the_change_once_when_it_can()
    {
        await using (var connection = new Npgsql.NpgsqlConnection(CnNode.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var install = new Npgsql.NpgsqlCommand("""
                CREATE OR REPLACE FUNCTION test_refuse_state() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'test: the receiver cannot commit'; END $$;
                CREATE TRIGGER test_refuse_state BEFORE INSERT ON request_state FOR EACH ROW EXECUTE FUNCTION test_refuse_state();
                """, connection);
            await install.ExecuteNonQueryAsync(Cancel);
        }

        Guid id;
        try
        {
            id = await File(KzNode, Body("The receiver could not commit"));
            var waiting = await Until(KzNode, Kz, "filer", id, r => r.GetProperty("exchange").TryGetProperty("lastError", out _), "a failed delivery on node KZ");
            Assert.Equal("pending", waiting.GetProperty("exchange").GetProperty("delivery").GetString());
            Assert.Null(await Get(CnNode, Cn, "handler", id));
        }
        finally
        {
            await using var connection = new Npgsql.NpgsqlConnection(CnNode.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var drop = new Npgsql.NpgsqlCommand("DROP TRIGGER test_refuse_state ON request_state", connection);
            await drop.ExecuteNonQueryAsync(Cancel);
        }

        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN once it can commit");
        await SameHistoryOnBoth(KzNode, CnNode, id);
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on node KZ");
    }

    [Fact]
    public async Task Callers_use_their_own_node_and_authorities_no_node_serves_are_refused_by_field()
    {
        // RU-GP is served by neither node of this federation.
        var response = await KzNode.As(Kz, "filer").PostAsJsonAsync("/api/requests", Body("To nobody's node", requested: "RU-GP"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Contains("RU-GP", problem.GetProperty("errors").GetProperty("requestedAuthority")[0].GetString(), StringComparison.Ordinal);

        // A CN authority's caller on node KZ: KZ does not serve it.
        var foreign = await KzNode.As(Cn, "filer").PostAsJsonAsync("/api/requests", Body("Filed on the wrong node", requesting: Cn, requested: Kz), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var id = await File(KzNode, Body("Seen from the wrong node"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        // Refused for the caller's node before the request is looked up (NodeScopeTests: every operation), not 404.
        Assert.Equal(HttpStatusCode.Forbidden, (await KzNode.As(Cn, "handler").GetAsync($"/api/requests/{id}", Cancel)).StatusCode);
    }
}
