using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The HTTP contract that both hosting shapes must keep (README, "Hosting shape"): filing, acting with If-Match,
/// list and board reads, roles (403), tokens (401), the page. <see cref="ApiTests"/> runs it against the API in a
/// host of its own (an Orleans client of a silo's gateway) with the rest of the contract; <see cref="CoHostedApiTests"/>
/// against a silo that serves the API itself.
/// </summary>
public abstract class ApiContractTests
{
    protected const string Kz = "KZ-GP";
    protected const string Cn = "CN-MOJ";
    protected const string Ru = "RU-GP";

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected static JsonObject Body(string subject = "Proceeds of fraud", string requesting = Kz, string requested = Cn) => new()
    {
        ["requestingAuthority"] = requesting,
        ["requestedAuthority"] = requested,
        ["legalBasis"] = "eio",
        ["assistanceTypes"] = new JsonArray("banking-information"),
        ["subject"] = subject,
        ["summaryOfFacts"] = "Transfers through three accounts.",
        ["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = "A. Person", ["role"] = "suspect" }),
    };

    /// <summary>A client of the API under test, without credentials.</summary>
    protected abstract HttpClient Client();

    protected HttpClient As(string authority, string role)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role));
        return client;
    }

    protected async Task<(Guid Id, string ETag)> File(JsonObject? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(body ?? Body()) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await As(Kz, "filer").SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (json.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    protected static async Task<HttpResponseMessage> Act(HttpClient client, Guid id, string action, string? ifMatch, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(body ?? new { }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request, Cancel);
    }

    protected static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    [Fact]
    public async Task Filing_returns_201_with_location_and_etag_and_get_answers_304_to_the_same_etag()
    {
        var (id, etag) = await File();
        Assert.Equal("\"1\"", etag);

        var get = await As(Cn, "handler").GetAsync($"/api/requests/{id}", Cancel);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(etag, get.Headers.ETag!.Tag);
        var view = await get.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(["acknowledge", "forward", "request-information", "accept", "refuse", "inform-delay"], view.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var clock = view.GetProperty("clocks")[0];
        Assert.Equal("acknowledgement", clock.GetProperty("kind").GetString());
        Assert.Equal("+08:00", clock.GetProperty("dueLocal").GetString()![^6..]);

        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/requests/{id}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        Assert.Equal(HttpStatusCode.NotModified, (await As(Cn, "viewer").SendAsync(conditional, Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_idempotent_retry_returns_the_same_request_and_a_reused_key_with_another_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        var first = await File(Body("Same matter"), key);
        var retry = await File(Body("Same matter"), key);
        Assert.Equal(first.Id, retry.Id);

        var other = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Body("Another matter")) };
        other.Headers.Add("Idempotency-Key", key);
        await Problem(await As(Kz, "filer").SendAsync(other, Cancel), HttpStatusCode.UnprocessableEntity);

        // The same key from another authority is another key.
        var elsewhere = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Body("Same matter", requesting: Ru, requested: Kz)) };
        elsewhere.Headers.Add("Idempotency-Key", key);
        var fromRu = await As(Ru, "filer").SendAsync(elsewhere, Cancel);
        Assert.Equal(HttpStatusCode.Created, fromRu.StatusCode);
        Assert.NotEqual(first.Id, (await fromRu.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("/api/requests")]
    [InlineData("/api/deadlines")]
    public async Task The_partner_filter_takes_an_authority_code_of_at_most_40_characters_on_both_lists(string list)
    {
        var errors = (await Problem(await As(Kz, "viewer").GetAsync($"{list}?partner={new string('A', 41)}", Cancel), HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains("40", errors.GetProperty("partner")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await As(Kz, "viewer").GetAsync($"{list}?partner={new string('A', 40)}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData(Kz, "handler", HttpStatusCode.Forbidden)]   // handlers register received requests, not outgoing ones
    [InlineData(Kz, "viewer", HttpStatusCode.Forbidden)]
    [InlineData(Ru, "filer", HttpStatusCode.Forbidden)]     // not a party
    [InlineData(Cn, "handler", HttpStatusCode.Created)]    // registered by the requested authority
    [InlineData(Kz, "supervisor", HttpStatusCode.Created)]
    public async Task Who_may_file_what(string authority, string role, HttpStatusCode expected)
    {
        var response = await As(authority, role).PostAsJsonAsync("/api/requests", Body(), Cancel);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Actions_need_if_match_refuse_stale_versions_and_report_what_is_allowed()
    {
        var (id, etag) = await File();
        var handler = As(Cn, "handler");

        await Problem(await Act(handler, id, "acknowledge", null), (HttpStatusCode)428);
        await Problem(await Act(handler, id, "acknowledge", "\"7\""), HttpStatusCode.PreconditionFailed);
        (await Problem(await Act(handler, id, "acknowledge", "W/\"1\""), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("If-Match");
        (await Problem(await Act(handler, id, "teleport", etag), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("action");
        (await Problem(await Act(handler, id, "forward", etag), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("forwardedTo");

        var acknowledged = await Act(handler, id, "acknowledge", etag, new { requestedReference = "CN-77" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("\"2\"", acknowledged.Headers.ETag!.Tag);
        Assert.Equal("CN-77", (await acknowledged.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("requestedReference").GetString());

        var again = await Problem(await Act(handler, id, "acknowledge", "\"2\""), HttpStatusCode.Conflict);
        Assert.Equal("acknowledged", again.GetProperty("requestStatus").GetString());
        Assert.Contains("accept", again.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Two_writers_with_the_same_etag_one_wins_and_the_history_shows_one_change()
    {
        var (id, etag) = await File();
        var handler = As(Cn, "handler");
        var supervisor = As(Cn, "supervisor");

        var results = await Task.WhenAll(
            Act(handler, id, "acknowledge", etag),
            Act(supervisor, id, "accept", etag));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        var history = (await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("file", history[0].GetProperty("event").GetString());
    }

    [Theory]
    [InlineData(Kz, "filer", "acknowledge", HttpStatusCode.Forbidden)]        // filers act for the requesting side
    [InlineData(Kz, "handler", "acknowledge", HttpStatusCode.Forbidden)]      // right role, wrong side
    [InlineData(Cn, "viewer", "acknowledge", HttpStatusCode.Forbidden)]
    [InlineData(Cn, "handler", "withdraw", HttpStatusCode.Forbidden)]
    [InlineData(Cn, "handler", "extend", HttpStatusCode.Forbidden)]           // only supervisors extend
    [InlineData(Ru, "supervisor", "acknowledge", HttpStatusCode.NotFound)]    // not a party: existence is not disclosed
    [InlineData(Ru, "filer", "withdraw", HttpStatusCode.NotFound)]
    public async Task Side_role_and_party_decide_who_may_act(string authority, string role, string action, HttpStatusCode expected)
    {
        var (id, etag) = await File();
        var response = await Act(As(authority, role), id, action, etag, new { clock = "decision", days = 5, reason = "r" });
        await Problem(response, expected);
    }

    [Fact]
    public async Task History_lists_the_events_and_its_verification_holds()
    {
        var (id, etag) = await File();
        await Act(As(Cn, "handler"), id, "acknowledge", etag);
        var history = (await As(Kz, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
        Assert.Equal(["file", "acknowledge"], history.EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Equal("handler", history[1].GetProperty("role").GetString());
        var verification = await As(Kz, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel);
        Assert.True(verification.GetProperty("intact").GetBoolean());
        Assert.Equal(2, verification.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task The_list_is_newest_first_filtered_paged_and_scoped_to_the_callers_authority()
    {
        var partner = "UZ-GP";
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await File(Body($"Matter {i}", requested: partner))).Id);
        }

        var first = await Poll.Until(async () =>
        {
            var page = await As(Kz, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests?partner={partner}&limit=3", Cancel);
            return page.GetProperty("items").GetArrayLength() == 3 && page.GetProperty("items")[0].GetProperty("id").GetGuid() == ids[^1] ? page : (JsonElement?)null;
        }, TimeSpan.FromSeconds(10), "the read model shows the five requests", Cancel);
        Assert.Equal([ids[4], ids[3], ids[2]], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await As(Kz, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests?partner={partner}&limit=3&cursor={cursor}", Cancel);
        Assert.Equal([ids[1], ids[0]], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var requested = await As(partner, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests?partner={Kz}&status=submitted&legalBasis=eio", Cancel);
        Assert.True(requested.GetProperty("items").GetArrayLength() >= 5);
        var stranger = await As(Ru, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests?partner={partner}", Cancel);
        Assert.Equal(0, stranger.GetProperty("items").GetArrayLength());
        var notOverdue = await As(Kz, "viewer").GetFromJsonAsync<JsonElement>($"/api/requests?partner={partner}&overdue=true", Cancel);
        Assert.Equal(0, notOverdue.GetProperty("items").GetArrayLength());

        (await Problem(await As(Kz, "viewer").GetAsync("/api/requests?status=lost", Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("status");
        (await Problem(await As(Kz, "viewer").GetAsync("/api/requests?cursor=bogus", Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("cursor");
        (await Problem(await As(Kz, "viewer").GetAsync("/api/requests?limit=1000", Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("limit");
    }

    [Fact]
    public async Task Authorities_and_their_calendars_are_served()
    {
        var viewer = As(Kz, "viewer");
        var all = await viewer.GetFromJsonAsync<JsonElement>("/api/authorities", Cancel);
        Assert.Contains(all.EnumerateArray(), a => a.GetProperty("code").GetString() == Cn);
        var china = await viewer.GetFromJsonAsync<JsonElement>($"/api/authorities/{Cn}", Cancel);
        Assert.Equal("Asia/Shanghai", china.GetProperty("timeZone").GetString());
        var calendar = await viewer.GetFromJsonAsync<JsonElement>($"/api/authorities/{Cn}/calendar?year=2025", Cancel);
        Assert.Contains(calendar.GetProperty("holidays").EnumerateArray(), d => d.GetProperty("date").GetString() == "2025-10-01");
        Assert.Contains(calendar.GetProperty("workingDays").EnumerateArray(), d => d.GetProperty("date").GetString() == "2025-09-28");
        await Problem(await viewer.GetAsync("/api/authorities/XX-NONE", Cancel), HttpStatusCode.NotFound);
        await Problem(await viewer.GetAsync($"/api/authorities/{Cn}/calendar?year=1800", Cancel), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_reference_states_the_limits_the_filing_rules_apply()
    {
        // The page caps its fields with these figures: each must be the one FilingRules (or the actions) refuse past.
        var limits = (await As(Kz, "viewer").GetFromJsonAsync<JsonElement>("/api/reference", Cancel)).GetProperty("limits");
        int Limit(string name) => limits.GetProperty(name).GetInt32();
        Assert.Equal(Domain.Requests.FilingRules.MaxSubject, Limit("subject"));
        Assert.Equal(Domain.Requests.FilingRules.MaxSummary, Limit("summaryOfFacts"));
        Assert.Equal(Domain.Requests.FilingRules.MaxLanguage, Limit("language"));
        Assert.Equal(Domain.Requests.FilingRules.MaxShortText, Limit("personNationality"));
        Assert.Equal(Domain.Requests.FilingRules.MaxPersons, Limit("personsConcerned"));
        Assert.Equal(Domain.Requests.AssistanceRequest.MaxExtensionDays, Limit("extensionDays"));
        Assert.Equal(Domain.Requests.AssistanceRequest.MaxText, Limit("actionText"));

        // And the API files at the figure and refuses one past it, naming the field.
        var filer = As(Kz, "filer");
        var atLimit = Body(subject: new string('s', Limit("subject")));
        ((JsonObject)atLimit["personsConcerned"]![0]!)["nationality"] = new string('N', Limit("personNationality"));
        atLimit["language"] = new string('l', Limit("language"));
        Assert.Equal(HttpStatusCode.Created, (await filer.PostAsJsonAsync("/api/requests", atLimit, Cancel)).StatusCode);
        var over = Body(subject: new string('s', Limit("subject") + 1));
        ((JsonObject)over["personsConcerned"]![0]!)["nationality"] = new string('N', Limit("personNationality") + 1);
        over["language"] = new string('l', Limit("language") + 1);
        var errors = (await Problem(await filer.PostAsJsonAsync("/api/requests", over, Cancel), HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("subject", out _));
        Assert.True(errors.TryGetProperty("personsConcerned[0].nationality", out _));
        Assert.True(errors.TryGetProperty("language", out _));
    }

    [Fact]
    public async Task A_token_names_one_caller_exactly_one_authority_and_a_known_role_or_it_is_refused_whole()
    {
        // Hand-minted with the API's signing key: two authorities (the first used to win), no role, an unknown role.
        var (id, _) = await File();
        HttpClient With(Dictionary<string, object> claims)
        {
            var client = Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Minted(claims));
            return client;
        }

        var twoAuthorities = With(new() { ["sub"] = "two", ["authority"] = new[] { Cn, Ru }, ["role"] = "handler" });
        var noRole = With(new() { ["sub"] = "none", ["authority"] = Cn });
        var unknownRole = With(new() { ["sub"] = "odd", ["authority"] = Cn, ["role"] = "superuser" });
        foreach (var (client, says) in new[] { (twoAuthorities, "exactly one 'authority' claim"), (noRole, "known 'role' claim"), (unknownRole, "known 'role' claim") })
        {
            var get = await Problem(await client.GetAsync($"/api/requests/{id}", Cancel), HttpStatusCode.Unauthorized);
            Assert.Contains(says, get.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await Problem(await Act(client, id, "acknowledge", "\"1\""), HttpStatusCode.Unauthorized);
            await Problem(await client.GetAsync("/api/requests", Cancel), HttpStatusCode.Unauthorized);
        }

        // Nothing was acknowledged; one authority and several roles act with the most capable.
        var several = With(new() { ["sub"] = "many", ["authority"] = Cn, ["role"] = new[] { "viewer", "handler" } });
        Assert.Equal(HttpStatusCode.OK, (await Act(several, id, "acknowledge", "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task Missing_expired_wrongly_signed_and_authority_less_tokens_are_refused()
    {
        var anonymous = Client();
        await Problem(await anonymous.GetAsync("/api/requests", Cancel), HttpStatusCode.Unauthorized);

        foreach (var token in new[] { TestTokens.For(Kz, "filer", expires: DateTime.UtcNow.AddHours(-1)), TestTokens.For(Kz, "filer", wrongKey: true), "not.a.token" })
        {
            var client = Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/requests", Cancel)).StatusCode);
        }

        var noAuthority = Client();
        noAuthority.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Kz, "filer", withAuthority: false));
        var refused = await Problem(await noAuthority.GetAsync("/api/requests", Cancel), HttpStatusCode.Unauthorized);
        Assert.Contains("exactly one 'authority' claim", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_token_expired_within_the_30_s_clock_skew_is_accepted_and_one_expired_a_minute_ago_is_refused()
    {
        var lately = Client();
        lately.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Kz, "filer", expires: DateTime.UtcNow.AddSeconds(-10)));
        Assert.Equal(HttpStatusCode.OK, (await lately.GetAsync("/api/requests", Cancel)).StatusCode);

        // JwtBearer's default skew (five minutes) would still accept it.
        var expired = Client();
        expired.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Kz, "filer", expires: DateTime.UtcNow.AddSeconds(-60)));
        await Problem(await expired.GetAsync("/api/requests", Cancel), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_page_and_every_answer_carry_the_security_headers()
    {
        var answers = new[]
        {
            await Client().GetAsync("/", Cancel),
            await Client().GetAsync("/app.js", Cancel),
            await As(Kz, "filer").GetAsync("/api/requests", Cancel),
            await Client().GetAsync("/api/requests", Cancel),
        };
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], answers.Select(a => a.StatusCode));
        foreach (var answer in answers)
        {
            var csp = Assert.Single(answer.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("no-referrer", Assert.Single(answer.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(answer.Headers.GetValues("X-Frame-Options")));
        }
    }

    [Fact]
    public async Task The_deadline_board_shows_a_filed_requests_clocks_to_both_parties()
    {
        const string Mn = "MN-MOJ";
        var (id, _) = await File(Body(requested: Mn));
        foreach (var (authority, partner, side) in new[] { (Mn, Kz, "requested"), (Kz, Mn, "requesting") })
        {
            var item = await Poll.Until(async () =>
            {
                var board = await As(authority, "viewer").GetFromJsonAsync<JsonElement>($"/api/deadlines?partner={partner}", Cancel);
                return board.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("requestId").GetGuid() == id).Cast<JsonElement?>().FirstOrDefault();
            }, TimeSpan.FromSeconds(10), $"the board of {authority} shows the request", Cancel);
            Assert.Equal("acknowledgement", item.GetProperty("clock").GetString());
            Assert.Equal(side, item.GetProperty("side").GetString());
        }

        var stranger = await As(Ru, "viewer").GetFromJsonAsync<JsonElement>($"/api/deadlines?partner={Mn}", Cancel);
        Assert.DoesNotContain(stranger.GetProperty("items").EnumerateArray(), i => i.GetProperty("requestId").GetGuid() == id);
    }

    [Fact]
    public async Task The_page_its_sign_in_settings_and_the_health_endpoints_are_served_without_a_token()
    {
        var anonymous = Client();
        var page = await anonymous.GetAsync("/", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Deadline board", await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal("text/javascript", (await anonymous.GetAsync("/app.js", Cancel)).Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", (await anonymous.GetAsync("/lang-ru.json", Cancel)).Content.Headers.ContentType?.MediaType);
        // No provider configured here: the page is told so (and says sign-in is not configured).
        var signIn = await anonymous.GetFromJsonAsync<JsonElement>("/page/sign-in", Cancel);
        Assert.Equal(JsonValueKind.Null, signIn.GetProperty("issuer").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/app.css", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready", Cancel)).StatusCode);
    }

    protected static async Task<int> Count(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/requests?limit=200", Cancel)).GetProperty("items").GetArrayLength();
}

/// <summary>
/// The API in a host of its own (in memory), an Orleans client of a silo in this process: the shared contract,
/// and the rest of it (validation, body limit, OpenAPI, rate limits, scoping of single reads).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTests(ApiFixture fixture) : ApiContractTests
{
    protected override HttpClient Client() => fixture.Api.CreateClient();

    [Fact]
    public async Task Invalid_filings_name_the_field_and_store_nothing()
    {
        var filer = As(Kz, "filer");
        var before = await Count(filer);

        var unknownAuthority = Body(requested: "CN-NOWHERE");
        (await Problem(await filer.PostAsJsonAsync("/api/requests", unknownAuthority, Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("requestedAuthority");
        var badEnum = Body();
        badEnum["legalBasis"] = "hearsay";
        (await Problem(await filer.PostAsJsonAsync("/api/requests", badEnum, Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("legalBasis");
        var future = Body();
        future["receivedAt"] = DateTimeOffset.UtcNow.AddDays(2).ToString("O");
        (await Problem(await filer.PostAsJsonAsync("/api/requests", future, Cancel), HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("receivedAt");
        var truncated = new StringContent("{\"subject\": \"x", Encoding.UTF8, "application/json");
        await Problem(await filer.PostAsync("/api/requests", truncated, Cancel), HttpStatusCode.BadRequest);

        Assert.Equal(before, await Count(filer));
    }

    [Fact]
    public async Task A_requested_by_date_before_the_filing_day_is_400_naming_requested_by_and_stores_nothing()
    {
        // Issue 24; no treaty article, a rule of this system (FilingRules): a date already past cannot be met. The
        // requested authority is CN-MOJ (Beijing, UTC+8), whose date is never behind UTC's: yesterday in UTC is
        // before the filing day there, whatever the hour.
        var filer = As(Kz, "filer");
        var before = await Count(filer);

        var past = Body();
        past["requestedBy"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var problem = await Problem(await filer.PostAsJsonAsync("/api/requests", past, Cancel), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["requestedBy"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("Must lie after the day of filing", errors.GetProperty("requestedBy")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(before, await Count(filer));
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read_and_one_over_it_is_413()
    {
        var filer = As(Kz, "filer");
        var atLimit = Padded(256 * 1024);
        var read = await filer.PostAsync("/api/requests", atLimit, Cancel);
        (await Problem(read, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("summaryOfFacts");

        var over = await filer.PostAsync("/api/requests", Padded((256 * 1024) + 1), Cancel);
        await Problem(over, HttpStatusCode.RequestEntityTooLarge);
    }

    private static ByteArrayContent Padded(int size)
    {
        var body = Body();
        body["summaryOfFacts"] = string.Empty;
        var skeleton = body.ToJsonString();
        body["summaryOfFacts"] = new string('x', size - Encoding.UTF8.GetByteCount(skeleton));
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        Assert.Equal(size, bytes.Length);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Fact]
    public async Task An_action_with_if_match_star_is_refused_with_428_naming_the_version_and_changes_nothing()
    {
        var (id, _) = await File();
        var handler = As(Cn, "handler");

        var problem = await Problem(await Act(handler, id, "acknowledge", "*"), (HttpStatusCode)428);
        Assert.Contains("version", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal("submitted", view.GetProperty("status").GetString());
    }

    /// <summary>
    /// Issue 24: a forward passes the request on within the requested state, to another of its authorities in the
    /// directory (Directive 2014/41/EU art. 7(6); UNTOC art. 18(13)), so CN-MOJ forwarding a KZ→CN request to KZ-GP,
    /// the requesting authority, is a problem naming forwardedTo that lists CN's other authorities; nothing changes.
    /// </summary>
    [Fact]
    public async Task A_forward_to_the_requesting_states_authority_is_a_400_naming_forwarded_to_and_changes_nothing()
    {
        var (id, etag) = await File();
        var handler = As(Cn, "handler");

        var errors = (await Problem(await Act(handler, id, "forward", etag, new { forwardedTo = Kz }), HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Must be an authority of CN from the directory, other than CN-MOJ: one of CN-MPS, CN-MSS, CN-NSC, CN-SPC, CN-SPP.",
            errors.GetProperty("forwardedTo")[0].GetString());
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal("submitted", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.TryGetProperty("forwardedTo", out var to) ? to.ValueKind : JsonValueKind.Null);

        // The same request forwarded within CN is applied.
        Assert.Equal(HttpStatusCode.OK, (await Act(handler, id, "forward", etag, new { forwardedTo = "CN-SPP" })).StatusCode);
    }

    [Theory]
    [InlineData("/api/requests/{0}")]
    [InlineData("/api/requests/{0}/history")]
    [InlineData("/api/requests/{0}/history/verification")]
    public async Task Reads_by_an_unrelated_authority_are_404_and_unknown_ids_too(string route)
    {
        var (id, _) = await File();
        await Problem(await As(Ru, "supervisor").GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, id), Cancel), HttpStatusCode.NotFound);
        await Problem(await As(Kz, "filer").GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Guid.NewGuid()), Cancel), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await As(Cn, "viewer").GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, id), Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_with_its_responses()
    {
        var document = await Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        var paths = document.GetProperty("paths");
        string[] Responses(string path, string method) => [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name)];

        Assert.Superset(new HashSet<string> { "201", "400", "401", "403", "413", "422", "429", "503", "504" }, Responses("/api/requests", "post").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400", "401" }, Responses("/api/requests", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "304", "401", "404" }, Responses("/api/requests/{id}", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "409", "412", "428", "503", "504" }, Responses("/api/requests/{id}/actions/{action}", "post").ToHashSet());
        var actDescription = paths.GetProperty("/api/requests/{id}/actions/{action}").GetProperty("post").GetProperty("description").GetString();
        Assert.Contains(MutualAssistance.Api.ClusterUnavailableHandler.OutcomeUnknown, actDescription, StringComparison.Ordinal);
        Assert.Contains(MutualAssistance.Api.ClusterUnavailableHandler.NotApplied, actDescription, StringComparison.Ordinal);
        Assert.Superset(new HashSet<string> { "200", "401", "404" }, Responses("/api/requests/{id}/history", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "401", "404" }, Responses("/api/requests/{id}/history/verification", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "401" }, Responses("/api/authorities", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "401", "404" }, Responses("/api/authorities/{code}", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400", "401", "404" }, Responses("/api/authorities/{code}/calendar", "get").ToHashSet());
    }

    [Fact]
    public async Task A_caller_over_its_rate_gets_429_with_retry_after()
    {
        await using var limited = ApiFactory.Create(fixture.ConnectionString, fixture.ClusterId, permitsPerSecond: 1, burst: 3);
        var client = limited.As(Kz, "viewer");
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await client.GetAsync("/api/authorities", Cancel);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await limited.As(Cn, "viewer").GetAsync("/api/authorities", Cancel)).StatusCode);
    }
}
