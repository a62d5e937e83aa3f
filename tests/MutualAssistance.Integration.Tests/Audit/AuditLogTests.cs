using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The consultation and disclosure log (issue 15) through the API on real PostgreSQL: every read of personal data
/// and every change is logged, with its purpose, before the answer (asserted right after it, without waiting); a
/// log that cannot be written serves nothing (503); the chain holds and a tampered entry is found; auditors see
/// their authority's entries only; log-ons and refusals are logged; hostile query values are 400 by name.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class AuditLogTests(AuditFixture fixture)
{
    private const string Kz = "KZ-GP";
    private const string Cn = "CN-MOJ";
    private const string Ru = "RU-GP";
    private const string In = "IN-MHA";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>One token for the verifications of a test: validated (and its log-on logged) once, then served from the cache.</summary>
    private HttpClient? chainAuditor;

    [Fact]
    public async Task Every_read_and_change_of_personal_data_is_logged_with_its_purpose_before_the_answer()
    {
        var filerId = Staff("filer");
        var handlerId = Staff("handler");
        var filer = As(Kz, "filer", filerId);
        var handler = As(Cn, "handler", handlerId);

        var filing = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Body("Audit: every path")) };
        filing.Headers.Add("X-Purpose", "Intake of case KZ-2026-7");
        var filed = await filer.SendAsync(filing, Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var entry = Assert.Single(await fixture.Entries("subject = @p0 AND action = 'request.filed'", filerId));
        Assert.Equal((id, Kz, "filer", "applied", "Intake of case KZ-2026-7", "subject,facts,persons"), (entry.RequestId!.Value, entry.Authority!, entry.Role!, entry.Outcome, entry.Purpose!, entry.Parts!));

        var read = await Send(handler, HttpMethod.Get, $"/api/requests/{id}", "Decide on execution");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        entry = Assert.Single(await fixture.Entries("subject = @p0 AND action = 'request.read'", handlerId));
        Assert.Equal((id, Cn, "handler", "served", "Decide on execution"), (entry.RequestId!.Value, entry.Authority!, entry.Role!, entry.Outcome, entry.Purpose!));

        // A 304 serves no personal data: nothing more is logged.
        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/requests/{id}");
        conditional.Headers.IfNoneMatch.Add(read.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await handler.SendAsync(conditional, Cancel)).StatusCode);
        Assert.Single(await fixture.Entries("subject = @p0 AND action = 'request.read'", handlerId));

        var history = await handler.GetAsync($"/api/requests/{id}/history?purpose=Check%20the%20filing", Cancel);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        entry = Assert.Single(await fixture.Entries("subject = @p0 AND action = 'request.history'", handlerId));
        Assert.Equal((id, "history,reasons", "Check the filing"), (entry.RequestId!.Value, entry.Parts!, entry.Purpose!));

        var list = await Send(filer, HttpMethod.Get, "/api/requests?partner=CN-MOJ&limit=200", "Weekly review");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = (await list.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToHashSet();
        Assert.Contains(id, listed);
        var listEntries = await fixture.Entries("subject = @p0 AND action = 'request.list'", filerId);
        Assert.Equal(listed, listEntries.Select(e => e.RequestId!.Value).ToHashSet());
        Assert.All(listEntries, e => Assert.Equal(("Weekly review", "subject", "served"), (e.Purpose!, e.Parts!, e.Outcome)));

        var board = await Send(handler, HttpMethod.Get, "/api/deadlines?limit=500", "Morning board");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.Contains(await fixture.Entries("subject = @p0 AND action = 'deadlines.board'", handlerId), e => e.RequestId == id && e.Purpose == "Morning board");

        var report = await Send(filer, HttpMethod.Get, "/api/reports/breaches", "Annual statistics");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        entry = Assert.Single(await fixture.Entries("subject = @p0 AND action = 'report.breaches'", filerId));
        Assert.Equal((null, "aggregates", "Annual statistics"), (entry.RequestId, entry.Parts!, entry.Purpose!));
        var csv = new HttpRequestMessage(HttpMethod.Get, "/api/reports/breaches");
        csv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        Assert.Equal(HttpStatusCode.OK, (await filer.SendAsync(csv, Cancel)).StatusCode);
        Assert.Equal(2, (await fixture.Entries("subject = @p0 AND action = 'report.breaches'", filerId)).Count);

        var acted = await Act(handler, id, "acknowledge", "\"1\"", "Acknowledge receipt");
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        entry = Assert.Single(await fixture.Entries("subject = @p0 AND action = 'request.acted'", handlerId));
        Assert.Equal((id, "applied", "Acknowledge receipt"), (entry.RequestId!.Value, entry.Outcome, entry.Purpose!));

        // An idempotent retry of the filing serves the request again: logged as served.
        var key = Guid.NewGuid().ToString();
        await FileWithKey(filer, key);
        await FileWithKey(filer, key);
        Assert.Equal(["applied", "served"], (await fixture.Entries("subject = @p0 AND action = 'request.filed' AND request_id <> @p1", filerId, id)).Select(e => e.Outcome));
    }

    [Fact]
    public async Task A_purpose_that_is_too_long_doubled_or_has_control_characters_is_400_naming_the_field_and_one_can_be_required()
    {
        var id = await File(As(Kz, "filer", Staff("filer")), "Audit: purposes");
        var handler = As(Cn, "handler", Staff("handler"));

        await Field(await Send(handler, HttpMethod.Get, $"/api/requests/{id}", new string('p', 201)), "X-Purpose");
        await Field(await handler.GetAsync($"/api/requests/{id}?purpose=bell%07", Cancel), "purpose");
        await Field(await handler.GetAsync($"/api/requests/{id}?purpose=%E2%80%AEevil", Cancel), "purpose");
        await Field(await handler.GetAsync($"/api/requests/{id}?purpose=%20%20", Cancel), "purpose");
        await Field(await Send(handler, HttpMethod.Get, $"/api/requests/{id}?purpose=twice", "once"), "X-Purpose");
        await Field(await Send(handler, HttpMethod.Get, "/api/requests", new string('p', 201)), "X-Purpose");
        Assert.Equal(HttpStatusCode.OK, (await Send(handler, HttpMethod.Get, $"/api/requests/{id}", new string('p', 200))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync($"/api/requests/{id}?purpose=%D0%A1%D0%BB%D0%B5%D0%B4%D1%81%D1%82%D0%B2%D0%B8%D0%B5%20%E8%B0%83%E6%9F%A5", Cancel)).StatusCode);

        await using var strict = fixture.ApiRequiringPurpose();
        var strictHandler = Client(strict, Cn, "handler", Staff("handler"));
        var refused = await Field(await strictHandler.GetAsync($"/api/requests/{id}", Cancel), "X-Purpose");
        Assert.DoesNotContain("Audit: purposes", refused.GetRawText(), StringComparison.Ordinal);
        await Field(await strictHandler.GetAsync($"/api/requests/{id}/history", Cancel), "X-Purpose");
        await Field(await strictHandler.GetAsync("/api/requests", Cancel), "X-Purpose");
        await Field(await strictHandler.GetAsync("/api/deadlines", Cancel), "X-Purpose");
        Assert.Equal(HttpStatusCode.OK, (await Send(strictHandler, HttpMethod.Get, $"/api/requests/{id}", "Decide")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await strictHandler.GetAsync($"/api/requests/{id}?purpose=Decide", Cancel)).StatusCode);
        // A change carries its own justification (it is in the history): a purpose is recorded when given, not required.
        Assert.Equal(HttpStatusCode.OK, (await Act(strictHandler, id, "acknowledge", "\"1\"", purpose: null)).StatusCode);
    }

    [Fact]
    public async Task When_the_log_cannot_be_written_reads_are_503_and_serve_no_personal_data()
    {
        var secret = "Audit secret " + Guid.NewGuid().ToString("N");
        var filer = As(Kz, "filer", Staff("filer"));
        var handler = As(Cn, "handler", Staff("handler"));
        var id = await File(filer, secret);
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync($"/api/requests/{id}", Cancel)).StatusCode);

        // Every insert into audit_log now fails (existing rows are not checked): the writer's batches fail.
        await fixture.Execute("ALTER TABLE audit_log ADD CONSTRAINT audit_log_refuses_for_test CHECK (false) NOT VALID");
        try
        {
            foreach (var (client, path) in new[]
            {
                (handler, $"/api/requests/{id}"), (handler, $"/api/requests/{id}/history"), (filer, "/api/requests?limit=200"),
                (handler, "/api/deadlines?limit=500"), (filer, "/api/reports/breaches"),
            })
            {
                var response = await client.GetAsync(path, Cancel);
                var problem = await Problem(response, HttpStatusCode.ServiceUnavailable);
                Assert.Equal("tag:mutual-assistance,2026:problems/audit-log-unavailable", problem.GetProperty("type").GetString());
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Null(response.Headers.ETag);
                Assert.DoesNotContain(secret, problem.GetRawText(), StringComparison.Ordinal);
                Assert.DoesNotContain(id.ToString(), problem.GetRawText(), StringComparison.Ordinal);
            }

            // A change lands (it is in the request's history) but is not shown; the answer says so.
            var acted = await Act(handler, id, "acknowledge", "\"1\"", purpose: null);
            var unshown = await Problem(acted, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("change was made", unshown.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, unshown.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Execute("ALTER TABLE audit_log DROP CONSTRAINT audit_log_refuses_for_test");
        }

        var after = await handler.GetAsync($"/api/requests/{id}", Cancel);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var view = await after.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(("acknowledged", 2), (view.GetProperty("status").GetString(), view.GetProperty("version").GetInt32()));
        Assert.True((await Verification()).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task The_chain_holds_under_concurrent_reads_refuses_changes_and_finds_a_tampered_or_removed_entry()
    {
        var handler = As(Cn, "handler", Staff("handler"));
        var id = await File(As(Kz, "filer", Staff("filer")), "Audit: the chain");
        await Verification(); // the auditor's token is validated (and its log-on logged) before the log is touched
        // The handler's token too; once this read's entry is committed, so is everything queued before it (one queue, in order).
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync($"/api/requests/{id}", Cancel)).StatusCode);

        // Many readers at once: their entries are appended in batches, one chain, no gap.
        var before = await fixture.Scalar<long>("SELECT sequence FROM audit_head");
        var reads = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => handler.GetAsync($"/api/requests/{id}", Cancel)));
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var after = await fixture.Scalar<long>("SELECT sequence FROM audit_head");
        Assert.True(after - before >= 200, $"{after - before} entries for 200 reads");
        Assert.Equal(after, await fixture.Scalar<long>("SELECT count(*) FROM audit_log"));
        var verified = await Verification();
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.GetRawText());
        Assert.True(verified.GetProperty("entries").GetInt64() >= after);

        foreach (var change in new[] { "UPDATE audit_log SET purpose = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log", "DELETE FROM audit_head" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.Execute(change));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        // An entry changed behind the trigger's back (by whoever may disable it) breaks the chain at that entry.
        var tampered = before + 10;
        var purpose = await fixture.Scalar<object>($"SELECT purpose FROM audit_log WHERE sequence = {tampered}");
        await Tamper($"UPDATE audit_log SET purpose = 'Covering my tracks' WHERE sequence = {tampered}");
        verified = await Verification();
        Assert.False(verified.GetProperty("intact").GetBoolean());
        Assert.Equal(tampered, verified.GetProperty("brokenAt").GetInt64());
        Assert.Contains("hash", verified.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Tamper($"UPDATE audit_log SET purpose = {(purpose is string p ? $"'{p}'" : "NULL")} WHERE sequence = {tampered}");
        Assert.True((await Verification()).GetProperty("intact").GetBoolean());

        // So does an entry removed from the middle, and one removed from the end (the head still names it).
        var last = await fixture.Scalar<long>("SELECT sequence FROM audit_head");
        foreach (var removed in new[] { before + 20, last })
        {
            await Tamper($"CREATE TABLE audit_log_kept AS SELECT * FROM audit_log WHERE sequence = {removed}; DELETE FROM audit_log WHERE sequence = {removed}");
            verified = await Verification();
            Assert.False(verified.GetProperty("intact").GetBoolean());
            Assert.Equal(removed, verified.GetProperty("brokenAt").GetInt64());
            await Tamper("INSERT INTO audit_log SELECT * FROM audit_log_kept; DROP TABLE audit_log_kept");
            Assert.True((await Verification()).GetProperty("intact").GetBoolean());
        }
    }

    [Fact]
    public async Task An_auditor_sees_its_own_authoritys_entries_and_those_about_its_requests_only_as_json_or_csv_and_reads_no_personal_data()
    {
        var kzFiler = Staff("filer");
        var cnHandler = Staff("handler");
        var ruFiler = Staff("filer");
        var kzRequest = await File(As(Kz, "filer", kzFiler), "Audit: scoping KZ");
        Assert.Equal(HttpStatusCode.OK, (await As(Cn, "handler", cnHandler).GetAsync($"/api/requests/{kzRequest}", Cancel)).StatusCode);
        var ruRequest = await File(As(Ru, "filer", ruFiler), "Audit: scoping RU", Ru, In);

        var auditor = As(Kz, "auditor", Staff("auditor"));
        var mine = await LogPage(auditor, $"requestId={kzRequest}");
        Assert.Contains(mine, e => e.GetProperty("action").GetString() == "request.filed" && e.GetProperty("subject").GetString() == kzFiler);
        // The partner authority's read of a KZ request is KZ's to audit too.
        Assert.Contains(mine, e => e.GetProperty("action").GetString() == "request.read" && e.GetProperty("subject").GetString() == cnHandler
            && e.GetProperty("authority").GetString() == Cn);
        Assert.Empty(await LogPage(auditor, $"requestId={ruRequest}"));
        Assert.Empty(await LogPage(auditor, $"subject={ruFiler}"));
        Assert.NotEmpty(await LogPage(As(Ru, "auditor", Staff("auditor")), $"requestId={ruRequest}"));
        var bySubject = await LogPage(auditor, $"subject={kzFiler}");
        Assert.NotEmpty(bySubject);
        Assert.All(bySubject, e => Assert.Equal(kzFiler, e.GetProperty("subject").GetString()));
        Assert.All(await LogPage(auditor, "limit=1000"), e => Assert.True(
            e.GetProperty("authority").GetString() == Kz || e.GetProperty("requestId").ValueKind == JsonValueKind.String,
            e.GetRawText()));

        // Pages follow each other without overlap; a window in time bounds them.
        var first = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/log?requestId={kzRequest}&limit=1", Cancel);
        var next = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(next);
        var second = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/log?requestId={kzRequest}&limit=1&cursor={next}", Cancel);
        Assert.True(second.GetProperty("items")[0].GetProperty("sequence").GetInt64() > first.GetProperty("items")[0].GetProperty("sequence").GetInt64());
        Assert.Empty(await LogPage(auditor, $"requestId={kzRequest}&to=2001-01-01"));
        Assert.Equal(mine.Count, (await LogPage(auditor, $"requestId={kzRequest}&from={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to=9999-12-31")).Count);

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/audit/log?requestId={kzRequest}&limit=1");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await auditor.SendAsync(csvRequest, Cancel);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,at,subject,authority,role,action,requestId,parts,outcome,purpose,recipient,previousHash,hash", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains(kzRequest.ToString(), lines[1], StringComparison.Ordinal);
        Assert.Contains("cursor=", csv.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        // Other roles may not read the log; an auditor reads no personal data and takes no action.
        foreach (var role in new[] { "filer", "handler", "supervisor", "viewer", "admin" })
        {
            await Problem(await As(Kz, role, Staff(role)).GetAsync("/api/audit/log", Cancel), HttpStatusCode.Forbidden);
            await Problem(await As(Kz, role, Staff(role)).GetAsync("/api/audit/verification", Cancel), HttpStatusCode.Forbidden);
        }

        foreach (var path in new[] { $"/api/requests/{kzRequest}", $"/api/requests/{kzRequest}/history", "/api/requests", "/api/deadlines" })
        {
            var refused = await Problem(await auditor.GetAsync(path, Cancel), HttpStatusCode.Forbidden);
            Assert.DoesNotContain("Audit: scoping KZ", refused.GetRawText(), StringComparison.Ordinal);
        }

        await Problem(await Act(auditor, kzRequest, "withdraw", "\"1\"", purpose: null), HttpStatusCode.Forbidden);
        await Problem(await auditor.PostAsJsonAsync("/api/requests", Body("Audit: an auditor files"), Cancel), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/requests/{kzRequest}/history/verification", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_log_on_is_logged_once_per_validation_and_401_403_and_404_refusals_are_logged()
    {
        var viewerId = Staff("viewer");
        var viewer = As(Kz, "viewer", viewerId);
        var id = await File(As(Kz, "filer", Staff("filer")), "Audit: refusals");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/requests/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/requests/{id}", Cancel)).StatusCode);
        var logon = await Poll.Until(async () => await fixture.Entries("subject = @p0 AND action = 'logon'", viewerId) is [_, ..] found ? found : null, Patience, "the viewer's log-on", Cancel);
        Assert.Equal((Kz, "viewer", "accepted"), (logon[0].Authority!, logon[0].Role!, logon[0].Outcome));
        Assert.Equal(2, (await fixture.Entries("subject = @p0 AND action = 'request.read'", viewerId)).Count);
        Assert.Single(await fixture.Entries("subject = @p0 AND action = 'logon'", viewerId)); // the second call hit the cache

        // 403: a viewer may not act.
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(viewer, id, "withdraw", "\"1\"", purpose: null)).StatusCode);
        var forbidden = await Until("subject = @p0 AND action = 'access.refused' AND outcome = '403'", viewerId);
        Assert.Equal((id, Kz), (forbidden.RequestId!.Value, forbidden.Authority!));

        // 404: another authority's request.
        var strangerId = Staff("supervisor");
        Assert.Equal(HttpStatusCode.NotFound, (await As(Ru, "supervisor", strangerId).GetAsync($"/api/requests/{id}", Cancel)).StatusCode);
        var notFound = await Until("subject = @p0 AND action = 'access.refused' AND outcome = '404'", strangerId);
        Assert.Equal((id, Ru, "supervisor"), (notFound.RequestId!.Value, notFound.Authority!, notFound.Role!));
        // ... which the owner's auditor sees, since it names the owner's request.
        Assert.Contains(await LogPage(As(Kz, "auditor", Staff("auditor")), $"requestId={id}"), e => e.GetProperty("outcome").GetString() == "404");

        // 403 on a webhook: the caller is named, and the webhook's id is not taken for a request's.
        var webhook = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/webhooks/{webhook}", Cancel)).StatusCode);
        await Until("subject = @p0 AND action = 'access.refused' AND outcome = '403' AND request_id IS NULL", viewerId);
        Assert.Empty(await fixture.Entries("request_id = @p0", webhook));

        // 401: a token signed with a key nobody trusts, or none: nobody is named and no entry of its own is chained;
        // the window's count of the source's refusals is (the in-memory server knows no address: source NULL).
        var before = await fixture.Scalar<long>("SELECT sequence FROM audit_head");
        var forged = Client(fixture.Api, Kz, "supervisor", Staff("forger"), wrongKey: true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync($"/api/requests/{id}", Cancel)).StatusCode);
        var unknown = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Api.CreateClient().GetAsync($"/api/requests/{unknown}", Cancel)).StatusCode);
        var counted = await Poll.Until(
            async () => await fixture.Entries("sequence > @p0 AND action = 'access.refused' AND outcome = '401'", before) is [_, ..] found ? found : null,
            Patience, "the window's count of 401s", Cancel);
        Assert.All(counted, e => Assert.Equal((null, null, null, null, null), (e.Subject, e.Authority, e.Role, e.RequestId, e.Source)));
        Assert.True(counted.Sum(e => e.Calls!.Value) >= 2, string.Join(", ", counted));
        Assert.Empty(await fixture.Entries("request_id = @p0", unknown));
    }

    [Fact]
    public async Task An_anonymous_flood_is_limited_by_address_and_logged_as_one_count_per_source_not_a_row_per_call()
    {
        const string source = "203.0.113.7";
        await using var api = fixture.ApiFrom(source, anonymousPermitsPerSecond: 5, anonymousBurst: 20);
        var anonymous = api.CreateClient();
        await Verification(); // the auditor's log-on is appended before the log is counted
        var before = await fixture.Scalar<long>("SELECT sequence FROM audit_head");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 300; i++)
        {
            answers.Add(await anonymous.GetAsync($"/api/requests/{Guid.NewGuid()}", Cancel));
        }

        var refused = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(300, refused + limited.Count);
        Assert.True(refused >= 20 && limited.Count >= 200, $"{refused} refused 401, {limited.Count} limited 429");
        Assert.NotNull(limited[0].Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);

        // Every 401 is counted under the source, in a handful of entries (one per window), none chained per call.
        var counts = await Poll.Until(
            async () => await fixture.Entries("sequence > @p0 AND source = @p1", before, source) is { } found && found.Sum(e => e.Calls ?? 1) >= refused ? found : null,
            Patience, $"{refused} refusals counted under {source}", Cancel);
        Assert.Equal(refused, counts.Sum(e => e.Calls!.Value));
        Assert.All(counts, e => Assert.Equal(("access.refused", "401", null, null, null), (e.Action, e.Outcome, e.Subject, e.Authority, e.RequestId)));
        var grown = await fixture.Scalar<long>("SELECT sequence FROM audit_head") - before;
        Assert.True(grown <= 5, $"the log grew by {grown} entries for 300 anonymous calls");
        Assert.Empty(await fixture.Entries("sequence > @p0 AND request_id IS NOT NULL AND subject IS NULL", before));

        // The aggregate entries are in the chain, which holds.
        var verified = await Verification();
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.GetRawText());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=2026-12-01T25:00:00Z", "to")]
    [InlineData("from=1%27%20OR%201%3D1%20--", "from")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("requestId=%27%20OR%201%3D1%20--", "requestId")]
    [InlineData("requestId=not-a-guid", "requestId")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("cursor=YXVkaXQ6LTE", "cursor")]
    [InlineData("cursor=%27%3B%20DROP%20TABLE%20audit_log%3B%20--", "cursor")]
    [InlineData("subject=bell%07", "subject")]
    [InlineData("subject=", "subject")]
    public async Task A_bad_query_value_on_the_audit_log_is_400_naming_it(string query, string field)
    {
        var response = await As(Kz, "auditor", Staff("auditor")).GetAsync("/api/audit/log?" + query, Cancel);
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_SQL_ish_subject_is_only_a_subject_and_the_table_is_still_there()
    {
        var auditor = As(Kz, "auditor", Staff("auditor"));
        var response = await auditor.GetAsync("/api/audit/log?subject=%27%20OR%20%271%27%3D%271&limit=1000", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/audit/log?subject={new string('s', 200)}", Cancel)).StatusCode);
        Assert.True(await fixture.Scalar<long>("SELECT count(*) FROM audit_log") > 0);
    }

    [Fact]
    public async Task An_entrys_hash_is_SHA_256_over_the_text_the_migration_documents()
    {
        // The format's one owner is audit_entry_hash (0014_audit_log.sql); this pins what its comment says it is.
        var previous = new string('0', 64);
        var requestId = Guid.Parse("69134eeb-c09c-5cbd-935d-7f3459bf6fe2");
        var at = new DateTimeOffset(2026, 12, 1, 8, 30, 15, TimeSpan.Zero).AddTicks(1234560);
        static string F(string? value) => value is null ? "-" : $"{System.Text.Encoding.UTF8.GetByteCount(value)}:{value}";
        var text = string.Join('|', "ma-audit-v1", F(previous), "7", ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            F("handler-1"), F("CN-MOJ"), F("handler"), F("request.read"), F(requestId.ToString()), F("subject,facts,persons"), F("served"),
            F("Décider | l'exécution"), F(null));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

        var stored = await fixture.Scalar<string>($"""
            SELECT audit_entry_hash('{previous}', 7, '2026-12-01T08:30:15.123456Z', 'handler-1', 'CN-MOJ', 'handler', 'request.read',
                                    '{requestId}', 'subject,facts,persons', 'served', 'Décider | l''exécution', NULL)
            """);
        Assert.Equal(expected, stored);

        // An aggregate (0020_audit_aggregates.sql) goes on with its source and count.
        var aggregate = string.Join('|', "ma-audit-v1", F(previous), "8", ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            F(null), F(null), F(null), F("access.refused"), F(null), F(null), F("401"), F(null), F(null), F("203.0.113.7"), F("300"));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(aggregate))),
            await fixture.Scalar<string>($"""
                SELECT audit_entry_hash('{previous}', 8, '2026-12-01T08:30:15.123456Z', NULL, NULL, NULL, 'access.refused',
                                        NULL, NULL, '401', NULL, NULL, '203.0.113.7', 300)
                """));
    }

    private async Task Tamper(string sql) => await fixture.Execute(
        $"ALTER TABLE audit_log DISABLE TRIGGER USER; {sql}; ALTER TABLE audit_log ENABLE TRIGGER USER");

    private Task<StoredEntry> Until(string where, object value) =>
        Poll.Until(async () => await fixture.Entries(where, value) is [var found, ..] ? found : null, Patience, where, Cancel);

    private async Task<JsonElement> Verification()
    {
        chainAuditor ??= As(Kz, "auditor", Staff("auditor"));
        var response = await chainAuditor.GetAsync("/api/audit/verification", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static async Task<List<JsonElement>> LogPage(HttpClient auditor, string query)
    {
        var response = await auditor.GetAsync("/api/audit/log?" + query, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("items").EnumerateArray()];
    }

    private static string Staff(string role) => $"{role}-{Guid.NewGuid():N}"[..24];

    private HttpClient As(string authority, string role, string subject) => Client(fixture.Api, authority, role, subject);

    private static HttpClient Client(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> api, string authority, string role, string subject, bool wrongKey = false)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role, subject, wrongKey: wrongKey));
        return client;
    }

    // The Shanghai Convention does not bind India; UNCAC binds Russia and India (India designated IN-MHA under art. 46(13)).
    private static JsonObject Body(string subject, string requesting = Kz, string requested = Cn) =>
        Requests.Json(subject, requesting, requested, legalBasis: requested == In ? "uncac" : TestReferenceData.TreatyBasis);

    private static async Task<Guid> File(HttpClient filer, string subject, string requesting = Kz, string requested = Cn)
    {
        var response = await filer.PostAsJsonAsync("/api/requests", Body(subject, requesting, requested), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task FileWithKey(HttpClient filer, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Body("Audit: a retried filing")) };
        request.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await filer.SendAsync(request, Cancel)).StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string purpose)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-Purpose", purpose);
        return await client.SendAsync(request, Cancel);
    }

    private static async Task<HttpResponseMessage> Act(HttpClient client, Guid id, string action, string ifMatch, string? purpose)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (purpose is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Purpose", purpose);
        }

        return await client.SendAsync(request, Cancel);
    }

    private static async Task<JsonElement> Field(HttpResponseMessage response, string field)
    {
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        return problem;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }
}
