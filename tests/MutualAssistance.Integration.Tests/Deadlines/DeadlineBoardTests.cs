using MutualAssistance.ReadSide.Writing;
using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReadModel;

using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>The deadline board, its polling and push, and the breach report, through the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeadlineBoardTests(ApiFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient As(string authority, string role) => fixture.Api.As(authority, role);

    private async Task<Guid> File(string requesting, string requested, string legalBasis = "eio", DateTimeOffset? receivedAt = null, string subject = "Matter")
    {
        var body = new JsonObject
        {
            ["requestingAuthority"] = requesting, ["requestedAuthority"] = requested, ["legalBasis"] = legalBasis,
            ["assistanceTypes"] = new JsonArray("taking-evidence"), ["subject"] = subject, ["summaryOfFacts"] = "Facts.",
        };
        if (receivedAt is { } at)
        {
            body["receivedAt"] = at.ToString("O");
        }

        var response = await As(requested, "handler").PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> Board(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/deadlines{query}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static JsonElement[] Items(JsonElement board) => [.. board.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task The_board_lists_open_clocks_overdue_first_with_working_days_on_the_responsible_calendar()
    {
        // Received 20 days ago: the 7-day acknowledgement is overdue; the 30-day decision is not.
        var id = await File("TJ-GP", "IN-MHA", receivedAt: DateTimeOffset.UtcNow.AddDays(-20));
        var board = await Poll.Until(async () =>
        {
            var b = await Board(As("IN-MHA", "handler"), "?partner=TJ-GP");
            return Items(b).Count(i => i.GetProperty("requestId").GetGuid() == id) == 2 ? b : (JsonElement?)null;
        }, TimeSpan.FromSeconds(10), "the read model shows the change", Cancel);

        var items = Items(board).Where(i => i.GetProperty("requestId").GetGuid() == id).ToArray();
        var first = items[0];
        Assert.Equal("acknowledgement", first.GetProperty("clock").GetString());
        Assert.True(first.GetProperty("overdue").GetBoolean());
        Assert.Equal("breached", first.GetProperty("state").GetString());
        Assert.True(first.GetProperty("overdueBy").GetProperty("workingDays").GetInt32() >= 5);
        // About 12 days past its due time: the breach (level 1) and level 2 (7 days later), not yet level 3 (30 days).
        Assert.Equal(2, first.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("Asia/Kolkata", first.GetProperty("timeZone").GetString());
        Assert.EndsWith("+05:30", first.GetProperty("dueLocal").GetString(), StringComparison.Ordinal);
        Assert.Equal("requested", first.GetProperty("side").GetString());
        Assert.Equal("TJ-GP", first.GetProperty("partnerAuthority").GetString());
        var second = items[1];
        Assert.Equal("decision", second.GetProperty("clock").GetString());
        Assert.False(second.GetProperty("overdue").GetBoolean());
        Assert.True(second.GetProperty("remaining").GetProperty("workingDays").GetInt32() > 0);

        // Filters narrow it; the other party sees the same clocks from its side; strangers see nothing.
        Assert.All(Items(await Board(As("IN-MHA", "handler"), "?overdue=true")), i => Assert.True(i.GetProperty("overdue").GetBoolean()));
        Assert.All(Items(await Board(As("IN-MHA", "handler"), "?minEscalationLevel=1")), i => Assert.True(i.GetProperty("escalationLevel").GetInt32() >= 1));
        Assert.DoesNotContain(Items(await Board(As("IN-MHA", "handler"), "?side=requesting")), i => i.GetProperty("requestId").GetGuid() == id);
        Assert.DoesNotContain(Items(await Board(As("IN-MHA", "handler"), "?legalBasis=uncac")), i => i.GetProperty("requestId").GetGuid() == id);
        Assert.Contains(Items(await Board(As("IN-MHA", "handler"), "?within=P10D")), i => i.GetProperty("requestId").GetGuid() == id);
        Assert.Contains(Items(await Board(As("TJ-GP", "filer"), "?side=requesting")), i => i.GetProperty("requestId").GetGuid() == id && i.GetProperty("side").GetString() == "requesting");
        Assert.DoesNotContain(Items(await Board(As("RU-GP", "supervisor"))), i => i.GetProperty("requestId").GetGuid() == id);
        var invalid = await As("IN-MHA", "handler").GetAsync("/api/deadlines?within=soon&side=sideways", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        problem.GetProperty("errors").GetProperty("within");
        problem.GetProperty("errors").GetProperty("side");
        // The sides offered are "any" and the Side enum's wire names, which the filter parses; the board answers each.
        Assert.Contains("any, requesting, requested", problem.GetProperty("errors").GetProperty("side")[0].GetString(), StringComparison.Ordinal);
        foreach (var side in new[] { "any", "requesting", "requested" })
        {
            Assert.Equal(HttpStatusCode.OK, (await As("IN-MHA", "handler").GetAsync($"/api/deadlines?side={side}", Cancel)).StatusCode);
        }
    }

    [Fact]
    public async Task A_clock_due_across_a_provisional_calendar_year_says_so_and_the_board_filters_on_it()
    {
        // Issue 24. Russia's 2025 and 2026 years follow their decrees (official); 2027 is provisional (the transfer
        // decree awaited) and 2028 has no file. A UNCAC request (target clocks of policy "treaty") received now: each clock is provisional exactly when
        // the days from its start to its due date reach past 2026.
        var id = await File("MN-GP", "RU-GP", legalBasis: "uncac");
        var request = await As("RU-GP", "handler").GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        var clocks = request.GetProperty("clocks").EnumerateArray().Where(c => c.TryGetProperty("dueLocal", out var d) && d.ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(clocks);
        foreach (var clock in clocks)
        {
            var lastDay = clock.GetProperty("dueLocal").GetDateTimeOffset().AddTicks(-1);
            var provisional = lastDay.Year > 2026;
            Assert.Equal(provisional, clock.GetProperty("provisionalCalendar").GetBoolean());
            if (provisional)
            {
                Assert.StartsWith("RU 2027 is provisional: ", clock.GetProperty("calendarNote").GetString(), StringComparison.Ordinal);
            }
        }

        var expected = clocks.Where(c => c.GetProperty("provisionalCalendar").GetBoolean()).Select(c => c.GetProperty("kind").GetString()).Order().ToList();
        var board = await Poll.Until(async () =>
        {
            var b = await Board(As("RU-GP", "handler"), "?partner=MN-GP&provisionalCalendar=true");
            var mine = Items(b).Where(i => i.GetProperty("requestId").GetGuid() == id).ToList();
            var all = Items(await Board(As("RU-GP", "handler"), "?partner=MN-GP")).Count(i => i.GetProperty("requestId").GetGuid() == id);
            return all == clocks.Count ? mine : null;
        }, TimeSpan.FromSeconds(10), "the read model shows the request", Cancel);
        Assert.Equal(expected, board.Select(i => i.GetProperty("clock").GetString()).Order().ToList());
        Assert.All(board, i => Assert.True(i.GetProperty("provisionalCalendar").GetBoolean()));
        var others = Items(await Board(As("RU-GP", "handler"), "?partner=MN-GP&provisionalCalendar=false")).Where(i => i.GetProperty("requestId").GetGuid() == id).ToList();
        Assert.Equal(clocks.Count - expected.Count, others.Count);
    }

    [Fact]
    public async Task The_board_pages_with_a_cursor_without_gaps_or_repeats()
    {
        for (var i = 0; i < 5; i++)
        {
            await File("KG-GP", "PK-MOI", subject: $"Paged {i}");
        }

        var all = Items(await Poll.Until(async () =>
        {
            var b = await Board(As("PK-MOI", "viewer"), "?partner=KG-GP&limit=500");
            return Items(b).Length >= 10 ? b : (JsonElement?)null;
        }, TimeSpan.FromSeconds(10), "the read model shows the ten clocks", Cancel)).Select(Key).ToList();

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Board(As("PK-MOI", "viewer"), $"?partner=KG-GP&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            paged.AddRange(Items(page).Select(Key));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all, paged);
        static string Key(JsonElement i) => $"{i.GetProperty("requestId").GetGuid()}/{i.GetProperty("clockId").GetInt32()}";
    }

    [Fact]
    public async Task Polling_gets_304_until_the_authoritys_data_changes_and_a_transition_shows()
    {
        var id = await File("UZ-GP", "BY-MOJ");
        var handler = As("BY-MOJ", "handler");
        var first = await Poll.Until(async () =>
        {
            var r = await handler.GetAsync("/api/deadlines?partner=UZ-GP", Cancel);
            var b = await r.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            return Items(b).Any(i => i.GetProperty("requestId").GetGuid() == id) ? r : null;
        }, TimeSpan.FromSeconds(10), "the read model shows the change", Cancel);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(handler, etag)).StatusCode);

        // A change for other authorities leaves this view's ETag alone.
        await File("KZ-GP", "CN-MOJ");
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(handler, etag)).StatusCode);

        // An action on one of ours changes it, and the very next poll shows the transition: the read model was written
        // in the action's transaction, and the ETag moved before the 200 was answered (no waiting, no retry).
        var acted = await handler.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge") { Headers = { { "If-Match", "\"1\"" } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        var changed = await Conditional(handler, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        var board = await changed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Contains(Items(board), i => i.GetProperty("requestId").GetGuid() == id && i.GetProperty("status").GetString() == "acknowledged");

        // And it holds still once the silo's notification has come and gone.
        var settled = changed.Headers.ETag!;
        await Poll.Until(async () => (await Conditional(handler, settled)).StatusCode == HttpStatusCode.NotModified ? (object)true : null,
            TimeSpan.FromSeconds(10), "the new ETag is stable", Cancel);
    }

    private static Task<HttpResponseMessage> Conditional(HttpClient client, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/deadlines?partner=UZ-GP");
        request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task The_stream_pushes_a_change_event_when_the_authoritys_data_changes()
    {
        var client = As("IR-JUD", "viewer");
        using var response = await client.GetAsync("/api/deadlines/stream", HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var initial = await NextEvent(reader);

        await File("KZ-GP", "IR-JUD");
        var next = await NextEvent(reader);
        Assert.True(next > initial, $"version {next} after {initial}");
    }

    private static async Task<long> NextEvent(StreamReader reader)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        string? eventType = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "changed")
            {
                return long.Parse(line["data:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    [Fact]
    public async Task The_breach_report_counts_a_hand_built_set()
    {
        // Between two authorities no other test uses: BY-GP asks, KZ-SC is asked. Started in March 2025.
        var dataSource = fixture.SiloServices.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var start = new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);
        RequestProjection Request(params ClockProjection[] clocks) => new()
        {
            RequestId = Guid.NewGuid(), Version = 1, Status = RequestStatus.Accepted, RequestingAuthority = "BY-GP", RequestedAuthority = "KZ-SC",
            LegalBasis = LegalBases.Eio, Urgency = Urgency.Normal, Subject = "Report case", FiledAt = start, ReceivedAt = start,
            EscalationLevel = 0, Clocks = [.. clocks], ChangedAt = start,
        };
        ClockProjection Decision(ClockState state, double? daysTaken, bool breached, double dueInDays = 30) => new()
        {
            ClockId = 1, Kind = ClockKind.Decision, ResponsibleAuthority = "KZ-SC", ResponsibleSide = Side.Requested, State = state,
            StartedAt = start, DueAt = start.AddDays(dueInDays), StoppedAt = daysTaken is { } d ? start.AddDays(d) : null,
            BreachedAt = breached ? start.AddDays(dueInDays) : null, EscalationLevel = breached ? 1 : 0,
        };

        // Met on time after 10, 20 and 30 days; met late after 40; still open and overdue; cancelled (not counted).
        ImmutableArray<RequestProjection> set =
        [
            Request(Decision(ClockState.Met, 10, false)), Request(Decision(ClockState.Met, 20, false)), Request(Decision(ClockState.Met, 30, false)),
            Request(Decision(ClockState.Met, 40, true)), Request(Decision(ClockState.Breached, null, true)), Request(Decision(ClockState.Cancelled, 5, false)),
        ];
        await ReadModelBatch.ApplyAsync(dataSource, set, Cancel);

        var report = await As("BY-GP", "viewer").GetFromJsonAsync<JsonElement>("/api/reports/breaches?from=2025-01-01&to=2025-12-31", Cancel);
        var row = Assert.Single(report.GetProperty("rows").EnumerateArray(), r => r.GetProperty("partnerAuthority").GetString() == "KZ-SC");
        Assert.Equal("eio", row.GetProperty("legalBasis").GetString());
        Assert.Equal("decision", row.GetProperty("clock").GetString());
        Assert.Equal(3, row.GetProperty("metOnTime").GetInt64());
        Assert.Equal(2, row.GetProperty("breached").GetInt64());
        // Days taken by the met clocks: 10, 20, 30, 40. Median 25; p90 by linear interpolation: 30 + 0.7 * 10 = 37.
        Assert.Equal(25.0, row.GetProperty("medianDays").GetDouble());
        Assert.Equal(37.0, row.GetProperty("p90Days").GetDouble());
        Assert.Equal(1, row.GetProperty("openOverdue").GetInt64());

        // The other party sees the same figures with BY-GP as partner; a third authority sees none of them.
        var mirrored = await As("KZ-SC", "viewer").GetFromJsonAsync<JsonElement>("/api/reports/breaches?from=2025-01-01&to=2025-12-31", Cancel);
        Assert.Contains(mirrored.GetProperty("rows").EnumerateArray(), r => r.GetProperty("partnerAuthority").GetString() == "BY-GP" && r.GetProperty("metOnTime").GetInt64() == 3);
        var stranger = await As("RU-MOJ", "viewer").GetFromJsonAsync<JsonElement>("/api/reports/breaches?from=2025-01-01&to=2025-12-31", Cancel);
        Assert.DoesNotContain(stranger.GetProperty("rows").EnumerateArray(), r => r.GetProperty("partnerAuthority").GetString() is "BY-GP" or "KZ-SC");

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/reports/breaches?from=2025-01-01&to=2025-12-31");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await As("BY-GP", "viewer").SendAsync(csvRequest, Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("partnerAuthority,legalBasis,clock,responsibleSide,metOnTime,breached,medianDays,p90Days,openOverdue", lines[0]);
        Assert.Contains("KZ-SC,eio,decision,requested,3,2,25,37,1", lines);

        var backwards = await As("BY-GP", "viewer").GetAsync("/api/reports/breaches?from=2025-12-31&to=2025-01-01", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
    }




}
