using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MutualAssistance.Testing;
using StandardWebhooks;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Webhooks per authority (README, "Notifications"): subscribed by its admin, told when the other side acts, signed
/// per Standard Webhooks, retried with backoff under the same webhook-id, each delivery visible; once per event and
/// subscription, across a silo restart.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTests(ApiFixture fixture, DatabaseFixture database)
{
    private const string Kz = "KZ-GP";
    private const string Cn = "CN-MOJ";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_an_admin_subscribes_its_own_authority_and_bad_input_names_the_field()
    {
        var admin = fixture.Api.As(Kz, "admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Api.As(Kz, "handler").PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.2:1/x" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Api.As(Kz, "supervisor").GetAsync("/api/webhooks", Cancel)).StatusCode);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { }, "url"), (new { url = "ftp://example.org/x" }, "url"), (new { url = "/relative" }, "url"),
            (new { url = "http://user:secret@127.0.0.2/x" }, "url"), (new { url = "http://127.0.0.2/x", events = new[] { "request.everything" } }, "events"),
        })
        {
            var refused = await admin.PostAsJsonAsync("/api/webhooks", body, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        var created = await admin.PostAsJsonAsync("/api/webhooks", new { url = $"http://{NodeTestSettings.WebhookReceiverHost}:9/hooks/kz", events = new[] { "request.breach" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.StartsWith("whsec_", answer.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var id = answer.GetProperty("subscription").GetProperty("id").GetGuid();

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/webhooks", Cancel);
        var mine = Assert.Single(listed.EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);
        Assert.False(mine.TryGetProperty("secret", out _));
        Assert.Equal(["request.breach"], mine.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));

        // Another authority's admin neither sees it nor removes it; the owner removes it once.
        var other = fixture.Api.As(Cn, "admin");
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonElement>("/api/webhooks", Cancel)).EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/{id}/deliveries", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("http://2130706433:6080/")] // 127.0.0.1 as one integer
    [InlineData("http://0x7f.1/")]
    [InlineData("http://127.0.0.1:6080/")]
    [InlineData("http://127.255.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://localhost:6080/")] // a name that resolves to loopback
    [InlineData("http://no-such-host.invalid/")] // a name that resolves to nothing: refused alike, telling nothing
    public async Task A_webhook_to_an_internal_address_or_a_name_for_one_is_refused_naming_url(string url)
    {
        var refused = await fixture.Api.As(Kz, "admin").PostAsJsonAsync("/api/webhooks", new { url }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");
        Assert.Equal(MutualAssistance.Contracts.FieldMessages.WebhookPublicHost().ToString(), Assert.Single(errors.GetProperty("url").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_delivery_that_gets_no_http_answer_records_one_text_for_a_closed_port_and_a_service_that_is_not_http()
    {
        await using var notHttp = new NotHttpListener();
        var admin = fixture.Api.As(Cn, "admin");
        var (closed, _) = await Subscribe(admin, new Uri($"http://{NodeTestSettings.WebhookReceiverHost}:{FreePort.Next()}/hooks/closed"));
        var (open, _) = await Subscribe(admin, notHttp.Url("open"));
        try
        {
            var filed = await fixture.Api.As(Kz, "filer").PostAsJsonAsync("/api/requests", Requests.Json("Webhook probe test"), Cancel);
            var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

            async Task<JsonElement> Failed(Guid hook) => await Poll.Until(async () =>
            {
                var deliveries = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{hook}/deliveries", Cancel);
                return deliveries.EnumerateArray().Where(d => d.GetProperty("requestId").GetGuid() == id && d.GetProperty("lastError").ValueKind == JsonValueKind.String)
                    .Select(d => (JsonElement?)d).FirstOrDefault();
            }, TimeSpan.FromSeconds(20), "an attempt recorded", Cancel);

            var toClosed = await Failed(closed);
            var toOpen = await Failed(open);
            Assert.Equal(MutualAssistance.Notifications.Notifier.NotReached, toClosed.GetProperty("lastError").GetString());
            Assert.Equal(toClosed.GetProperty("lastError").GetString(), toOpen.GetProperty("lastError").GetString());
            Assert.Equal(JsonValueKind.Null, toClosed.GetProperty("lastStatus").ValueKind);
            Assert.Equal(JsonValueKind.Null, toOpen.GetProperty("lastStatus").ValueKind);
        }
        finally
        {
            await admin.DeleteAsync($"/api/webhooks/{closed}", CancellationToken.None);
            await admin.DeleteAsync($"/api/webhooks/{open}", CancellationToken.None);
        }
    }

    [Fact]
    public async Task Each_side_is_told_when_the_other_acts_signed_retried_under_one_id_and_each_delivery_is_visible()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (kzHook, kzSecret) = await Subscribe(fixture.Api.As(Kz, "admin"), receiver.Url("kz"));
        var (cnHook, cnSecret) = await Subscribe(fixture.Api.As(Cn, "admin"), receiver.Url("cn"));
        receiver.FailFirst("kz", 2);

        // KZ files (CN is told), CN acknowledges (KZ is told: after two failures).
        var marker = "Wh" + Guid.NewGuid().ToString("N")[..10];
        var body = Requests.Json("Webhook test");
        body["summaryOfFacts"] = $"Facts {marker}";
        var filed = await fixture.Api.As(Kz, "filer").PostAsJsonAsync("/api/requests", body, Cancel);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var acknowledge = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge") { Content = JsonContent.Create(new { }) };
        acknowledge.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.As(Cn, "handler").SendAsync(acknowledge, Cancel)).StatusCode);

        var toCn = await Poll.Until(() => Task.FromResult(For(receiver, "cn", id).FirstOrDefault()), TimeSpan.FromSeconds(20), "CN told of the filing", Cancel);
        var toKz = await Poll.Until(() => Task.FromResult(For(receiver, "kz", id).FirstOrDefault(p => p.Answered == 200)), TimeSpan.FromSeconds(20), "KZ told of the acknowledgement", Cancel);

        // Signed with each subscription's own secret; another's does not verify.
        new StandardWebhook(cnSecret).Verify(toCn.Body, toCn.Headers);
        new StandardWebhook(kzSecret).Verify(toKz.Body, toKz.Headers);
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(kzSecret).Verify(toCn.Body, toCn.Headers));
        var cnPayload = JsonDocument.Parse(toCn.Body).RootElement;
        Assert.Equal("request.acted", cnPayload.GetProperty("type").GetString());
        Assert.Equal("file", cnPayload.GetProperty("data").GetProperty("event").GetString());
        Assert.Equal(Kz, cnPayload.GetProperty("data").GetProperty("actorAuthority").GetString());
        Assert.Equal("acknowledge", JsonDocument.Parse(toKz.Body).RootElement.GetProperty("data").GetProperty("event").GetString());
        Assert.DoesNotContain(marker, toCn.Body + toKz.Body, StringComparison.Ordinal); // no personal data in a notification

        // KZ's: three attempts under one webhook-id (two 500s, then 200); nobody is told of its own action.
        var attempts = For(receiver, "kz", id).ToList();
        Assert.Equal([500, 500, 200], attempts.Select(p => p.Answered));
        Assert.Single(attempts.Select(p => p.Headers["webhook-id"].ToString()).Distinct());
        Assert.Single(For(receiver, "cn", id));

        // Visible to each admin: KZ's delivery took three attempts and was delivered with 200.
        var deliveries = await fixture.Api.As(Kz, "admin").GetFromJsonAsync<JsonElement>($"/api/webhooks/{kzHook}/deliveries", Cancel);
        var delivery = Assert.Single(deliveries.EnumerateArray(), d => d.GetProperty("requestId").GetGuid() == id);
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatus").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, delivery.GetProperty("deliveredAt").ValueKind);
        var cnDeliveries = await fixture.Api.As(Cn, "admin").GetFromJsonAsync<JsonElement>($"/api/webhooks/{cnHook}/deliveries", Cancel);
        Assert.Equal([1], cnDeliveries.EnumerateArray().Where(d => d.GetProperty("requestId").GetGuid() == id).Select(d => d.GetProperty("sequence").GetInt32()));

        // Removed, so that the other tests' requests between these two authorities are not posted to this receiver.
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Api.As(Kz, "admin").DeleteAsync($"/api/webhooks/{kzHook}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Api.As(Cn, "admin").DeleteAsync($"/api/webhooks/{cnHook}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_delivery_waiting_when_the_silo_stops_is_delivered_once_by_the_next_one()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("webhooks_restart");
        var clusterId = "webhooks-" + Guid.NewGuid().ToString("N")[..8];
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst("cn", 1_000_000); // down until further notice
        Guid id;
        await using (var api = ApiFactory.Create(connectionString, clusterId))
        {
            await using (var silo = await InProcessSilo.StartAsync(connectionString, clusterId))
            {
                await Subscribe(api.As(Cn, "admin"), receiver.Url("cn"));
                var filed = await api.As(Kz, "filer").PostAsJsonAsync("/api/requests", Requests.Json("Restart test"), Cancel);
                id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
                await Poll.Until(() => Task.FromResult(For(receiver, "cn", id).Count() >= 2 ? "tried" : null), TimeSpan.FromSeconds(20), "two failed attempts", Cancel);
            }

            receiver.FailFirst("cn", 0);
            await using (var silo = await InProcessSilo.StartAsync(connectionString, clusterId))
            {
                await Poll.Until(() => Task.FromResult(For(receiver, "cn", id).Any(p => p.Answered == 200) ? "delivered" : null), TimeSpan.FromSeconds(20), "delivered after the restart", Cancel);
                // Recorded delivered: the notifier claims only undelivered rows, so nothing more can be sent for it.
                await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
                await Poll.Until(async () =>
                {
                    await using var delivered = dataSource.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE request_id = @id AND delivered_at IS NOT NULL");
                    delivered.Parameters.AddWithValue("id", id);
                    return (long)(await delivered.ExecuteScalarAsync(Cancel))! == 1 ? "recorded" : null;
                }, TimeSpan.FromSeconds(20), "the delivery recorded as delivered", Cancel);
            }
        }

        var posts = For(receiver, "cn", id).ToList();
        Assert.Equal(1, posts.Count(p => p.Answered == 200));
        Assert.Single(posts.Select(p => p.Headers["webhook-id"].ToString()).Distinct());
    }

    private static IEnumerable<WebhookReceiver.Post> For(WebhookReceiver receiver, string name, Guid id) =>
        receiver.To(name).Where(p => p.Body.Contains(id.ToString(), StringComparison.Ordinal));

    private static async Task<(Guid Id, string Secret)> Subscribe(HttpClient admin, Uri url)
    {
        var created = await admin.PostAsJsonAsync("/api/webhooks", new { url = url.ToString() }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (answer.GetProperty("subscription").GetProperty("id").GetGuid(), answer.GetProperty("secret").GetString()!);
    }
}
