using System.Net.Http.Json;
using System.Text.Json;
using MutualAssistance.Testing;
using Npgsql;
using static MutualAssistance.Integration.Tests.FederationCalls;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A shared request's envelopes are disclosures to the peer node: each one delivered is logged on the sending node
/// as <c>disclosure.peer</c> with the peer as recipient, and the authority's auditor there sees it.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class AuditDisclosureTests(FederationFixture federation)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_envelope_delivered_to_a_peer_is_logged_as_a_disclosure_to_it_on_the_sending_node()
    {
        var id = await File(federation.Kz, Body("Audit: disclosed to the peer"));
        await Until(federation.Cn, Cn, "handler", id, r => true, "the filing on node CN");
        var toCn = await Disclosures(federation.Kz, id, "CN");
        Assert.Equal(("node:KZ", null, "delivered"), (toCn.Subject, toCn.Authority, toCn.Outcome));
        Assert.Contains("facts", toCn.Parts, StringComparison.Ordinal);

        // CN orders this request: its acknowledgement is sent back to KZ, and logged as disclosed on CN.
        await Acted(federation.Cn, Cn, "handler", id, "acknowledge", new { });
        var toKz = await Disclosures(federation.Cn, id, "KZ");
        Assert.Equal("node:CN", toKz.Subject);

        var auditor = federation.Kz.As(Kz, "auditor");
        var page = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/log?requestId={id}", Cancel);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "disclosure.peer"
            && e.GetProperty("recipient").GetString() == "CN");
        var verification = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verification", Cancel);
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.GetRawText());
    }

    private static Task<(string? Subject, string? Authority, string Outcome, string Parts)> Disclosures(FederationNode node, Guid id, string recipient) =>
        Poll.Until<(string?, string?, string, string)>(async () =>
        {
            await using var connection = new NpgsqlConnection(node.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var command = new NpgsqlCommand(
                "SELECT subject, authority, outcome, parts FROM audit_log WHERE action = 'disclosure.peer' AND request_id = @id AND recipient = @recipient ORDER BY sequence LIMIT 1",
                connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("recipient", recipient);
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            return await reader.ReadAsync(Cancel)
                ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3))
                : null;
        }, Patience, $"a disclosure of {id} to node {recipient}", Cancel);
}
