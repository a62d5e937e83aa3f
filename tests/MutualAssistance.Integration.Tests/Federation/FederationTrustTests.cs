using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Federation;
using static MutualAssistance.Integration.Tests.FederationCalls;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The exchange endpoint under messages a test signs itself: replayed and reordered deliveries, every refusal of
/// PROTOCOL.md's "Trust" (each a problem answer that changes nothing), a key rotation's overlap, hostile input; and
/// the scan of every envelope the nodes sent for fields outside <see cref="ExchangeSchema.Fields"/>.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationTrustTests(FederationFixture federation)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FederationNode KzNode => federation.Kz;

    private FederationNode CnNode => federation.Cn;

    [Fact]
    public async Task A_reordered_change_is_held_until_the_gap_is_filled_and_a_replay_is_refused_with_its_receipt_and_changes_nothing()
    {
        var id = await File(KzNode, Body("Reordered deliveries"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        CnNode.Link.Cut();
        SharedChange second, third;
        try
        {
            await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
            second = await Outgoing(id, after: 1);
            await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "Who holds the accounts" });
            third = await Outgoing(id, after: 2);

            // Event 3 before event 2: held (202), nothing applied.
            var early = await Post(KzNode, Change(id, third), "cn-2");
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
            Assert.Equal("submitted", (await Get(KzNode, Kz, "filer", id))!.Value.GetProperty("status").GetString());

            // Event 2: applied, and the held event 3 after it.
            var filling = await Post(KzNode, Change(id, second), "cn-2");
            Assert.Equal(HttpStatusCode.OK, filling.StatusCode);
            Assert.Equal("awaiting-information", (await Get(KzNode, Kz, "filer", id))!.Value.GetProperty("status").GetString());

            // Event 2 again: a replay, refused with the receipt, nothing changed.
            var before = await Hashes(KzNode, Kz, "filer", id);
            var replay = await Post(KzNode, Change(id, second), "cn-2");
            var problem = await Problem(replay, HttpStatusCode.Conflict, "duplicate");
            Assert.True(problem.TryGetProperty("receipt", out _));
            Assert.Equal(before, await Hashes(KzNode, Kz, "filer", id));
        }
        finally
        {
            CnNode.Link.Restore();
        }

        // CN's own relay then delivers (1 -> 3): a replay too; its receipt marks it delivered.
        await Until(CnNode, Cn, "handler", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on node CN");
        await SameHistoryOnBoth(KzNode, CnNode, id);
    }

    [Fact]
    public async Task The_exchange_has_a_port_of_its_own_and_unsigned_traffic_does_not_use_up_a_peers_allowance()
    {
        // The API's port serves no exchange route, and the exchange's port nothing but it.
        using (var content = new ByteArrayContent([1, 2, 3]))
        {
            var onApi = await KzNode.As(Kz, "filer").PostAsync("/" + ExchangeSender.Path, content, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await KzNode.Exchange().GetAsync("/api/requests", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await KzNode.Exchange().GetAsync("/health/ready", Cancel)).StatusCode);

        // More envelopes with no valid signature than a verified node may send in a burst (Exchange:Burst, 2000 here):
        // each refused at the signature, none counted against node CN, whose own envelope is then taken as usual.
        var id = await File(KzNode, Body("Unsigned flood"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        var forged = Altered(Sign(Message(MessageKind.Change, id, 2), "cn-2"));
        var refusals = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Parallel.ForAsync(0, 2100, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancel }, async (_, cancel) =>
        {
            using var sent = await PostBytes(KzNode, forged);
            refusals.Add(sent.StatusCode);
        });
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, refusals);
        await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "acknowledged", "node CN's change taken by node KZ after the flood");
    }

    [Fact]
    public async Task Every_untrusted_or_out_of_place_message_is_refused_with_a_problem_and_changes_nothing()
    {
        var id = await File(KzNode, Body("Refused envelopes"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        CnNode.Link.Cut();
        try
        {
            await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
            var change = await Outgoing(id, after: 1);
            var before = await Hashes(KzNode, Kz, "filer", id);
            var valid = Change(id, change);

            await Problem(await PostBytes(KzNode, RandomNumberGenerator.GetBytes(300)), HttpStatusCode.BadRequest, "not-an-envelope");
            await Problem(await Post(KzNode, valid, "stranger"), HttpStatusCode.Unauthorized, "unknown-key");
            await Problem(await Post(KzNode, valid, "cn-0"), HttpStatusCode.Unauthorized, "key-not-in-force");
            await Problem(await PostBytes(KzNode, Altered(Sign(valid, "cn-2"))), HttpStatusCode.Unauthorized, "bad-signature");
            await Problem(await Post(KzNode, valid with { Sender = "RU" }, "cn-2"), HttpStatusCode.Forbidden, "sender-not-key-owner");
            await Problem(await Post(KzNode, valid with { Recipient = "RU" }, "cn-2"), HttpStatusCode.BadRequest, "wrong-recipient");
            var elsewhere = change with { State = change.State with { Filed = change.State.Filed with { RequestedAuthority = "RU-GP" } } };
            await Problem(await Post(KzNode, Change(id, elsewhere), "cn-2"), HttpStatusCode.Forbidden, "request-not-shared");
            var forged = change with { Events = [change.Events[0] with { Reason = "altered after hashing" }] };
            await Problem(await Post(KzNode, Change(id, forged), "cn-2"), HttpStatusCode.UnprocessableEntity, "invalid-change");
            var command = Message(MessageKind.Command, id, 1) with
            {
                Command = new PeerCommand
                {
                    Sequence = 1,
                    Action = new Contracts.Requests.ActionCommand { Action = Contracts.Requests.RequestAction.Withdraw, Reason = "forged" },
                    Actor = new Contracts.Requests.Actor { Subject = "x", Authority = Kz, Role = Contracts.Requests.Role.Filer },
                    BasedOn = 1,
                    IssuedAt = DateTimeOffset.UtcNow,
                },
            };
            await Problem(await Post(KzNode, command, "cn-2"), HttpStatusCode.Forbidden, "authority-not-served-by-sender");
            await Problem(await PostBytes(KzNode, new byte[1_048_577]), HttpStatusCode.RequestEntityTooLarge, "too-large");
            // Far over it (past what the server reads at all): the same problem, with its code, not a generic 413.
            // (Expect: 100-continue, as a well-behaved sender of a large body: the answer comes before the body is sent.)
            await Problem(await PostBytes(KzNode, new byte[4 * 1024 * 1024], expectContinue: true), HttpStatusCode.RequestEntityTooLarge, "too-large");

            Assert.Equal(before, await Hashes(KzNode, Kz, "filer", id));
            Assert.Equal("submitted", (await Get(KzNode, Kz, "filer", id))!.Value.GetProperty("status").GetString());

            // The previous key, still trusted (the rotation's overlap), is accepted for an envelope signed before the switch.
            Assert.Equal(HttpStatusCode.OK, (await Post(KzNode, valid, "cn-1")).StatusCode);
            Assert.Equal("acknowledged", (await Get(KzNode, Kz, "filer", id))!.Value.GetProperty("status").GetString());
        }
        finally
        {
            CnNode.Link.Restore();
        }

        await SameHistoryOnBoth(KzNode, CnNode, id);
    }

    [Fact]
    public async Task Hostile_input_on_the_exchange_endpoint_never_gets_a_5xx_and_changes_nothing()
    {
        var id = await File(KzNode, Body("Fuzzed endpoint"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        var before = await Hashes(KzNode, Kz, "filer", id);
        var random = new Random(20261202);
        var valid = Encoding.UTF8.GetString(ExchangeJson.Write(Change(id, await Outgoing(id, after: 0))));
        for (var i = 0; i < 150; i++)
        {
            byte[] body;
            if (i % 3 == 0)
            {
                body = new byte[random.Next(0, 2000)];
                random.NextBytes(body);
            }
            else
            {
                // Valid JSON, validly signed by a trusted key, with its text cut, duplicated or mangled.
                var text = (i % 4) switch
                {
                    0 => valid[..random.Next(0, valid.Length)],
                    1 => valid.Replace("\"sequence\":1", "\"sequence\":" + random.Next(int.MinValue, int.MaxValue), StringComparison.Ordinal),
                    2 => valid.Replace("\"kind\":\"change\"", "\"kind\":\"" + (char)random.Next(32, 127) + "\"", StringComparison.Ordinal),
                    _ => valid.Insert(random.Next(0, valid.Length), "{\"a\":[1,{\"b\":null}]}"),
                };
                body = CoseEnvelope.Sign(Encoding.UTF8.GetBytes(text), new SigningKey("cn-2", federation.Keys["cn-2"], DateTimeOffset.MinValue));
            }

            var response = await PostBytes(KzNode, body);
            Assert.True((int)response.StatusCode < 500, $"input {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        }

        Assert.Equal(before, await Hashes(KzNode, Kz, "filer", id));
    }

    [Fact]
    public async Task No_envelope_sent_in_the_test_run_carries_a_field_outside_the_schema_or_anything_of_a_local_request()
    {
        // A request between two KZ authorities is local to node KZ: nothing of it may leave.
        const string marker = "LOCAL-ONLY-5c1f0d";
        var local = await File(KzNode, Body(marker, requesting: Kz, requested: "KZ-SC"));
        var shared = await File(KzNode, Body("Scanned envelopes"));
        await Until(CnNode, Cn, "handler", shared, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", shared, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", shared, r => r.GetProperty("status").GetString() == "acknowledged", "acknowledged on node KZ");
        Assert.NotNull(await Get(KzNode, Kz, "filer", local));

        var sent = KzNode.Link.Sent.Concat(CnNode.Link.Sent).ToList();
        Assert.NotEmpty(sent);
        var outside = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var envelope in sent)
        {
            var (message, _) = CoseEnvelope.Decode(envelope);
            var payload = message.Content!.Value;
            Assert.DoesNotContain(marker, Encoding.UTF8.GetString(payload.Span), StringComparison.Ordinal);
            Assert.DoesNotContain(local.ToString(), Encoding.UTF8.GetString(payload.Span), StringComparison.Ordinal);
            using var json = JsonDocument.Parse(payload);
            outside.UnionWith(ExchangeSchema.PathsOf(json.RootElement).Where(p => !ExchangeSchema.Fields.Contains(p)));
        }

        Assert.True(outside.Count == 0, $"{sent.Count} envelopes scanned; fields outside the schema: {string.Join(", ", outside)}");
    }

    // ---- messages signed by the test ----

    private async Task<SharedChange> Outgoing(Guid id, int after) =>
        await CnNode.Services.GetRequiredService<PostgresExchangeStore>().ReadOutgoing(id, after, Cancel)
        ?? throw new InvalidOperationException($"Node CN has no events of {id} after {after}.");

    private static ExchangeMessage Message(MessageKind kind, Guid id, int sequence) => new()
    {
        Protocol = ExchangeMessage.CurrentProtocol,
        Kind = kind,
        Sender = "CN",
        Recipient = "KZ",
        RequestId = id,
        SentAt = DateTimeOffset.UtcNow,
        Sequence = sequence,
    };

    private static ExchangeMessage Change(Guid id, SharedChange change) => Message(MessageKind.Change, id, change.LastSequence) with { Change = change };

    private byte[] Sign(ExchangeMessage message, string keyId) =>
        CoseEnvelope.Sign(ExchangeJson.Write(message), new SigningKey(keyId, federation.Keys[keyId], DateTimeOffset.MinValue));

    private Task<HttpResponseMessage> Post(FederationNode node, ExchangeMessage message, string keyId) => PostBytes(node, Sign(message, keyId));

    private static async Task<HttpResponseMessage> PostBytes(FederationNode node, byte[] body, bool expectContinue = false)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(CoseEnvelope.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + ExchangeSender.Path) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        return await node.Exchange().SendAsync(request, Cancel);
    }

    /// <summary>The envelope with one byte of its payload changed (the signature no longer covers it).</summary>
    private static byte[] Altered(byte[] envelope)
    {
        var altered = (byte[])envelope.Clone();
        var at = altered.AsSpan().IndexOf("\"protocol\""u8) + 3;
        altered[at] ^= 0x01;
        return altered;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(ExchangeRefusals.TypeBase + code, problem.GetProperty("type").GetString());
        return problem;
    }
}
