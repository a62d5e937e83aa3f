using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The instrument catalogue over HTTP: what it serves, the bases two authorities may file under on a day, and a filing
/// under a basis that does not bind both states refused with problem details naming the field and what would be valid,
/// nothing filed. (The cluster runs on the test data: the EIO and CETS 224 bind every state from 2017, TestReferenceData.)
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InstrumentApiTests(ApiFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_catalogue_serves_each_instrument_with_its_parties_designations_and_sources()
    {
        var instruments = await fixture.Api.As("KZ-GP", "viewer").GetFromJsonAsync<JsonElement>("/api/reference/instruments", Cancel);
        var untoc = instruments.EnumerateArray().Single(i => i.GetProperty("code").GetString() == "untoc");
        Assert.Equal("multilateral", untoc.GetProperty("kind").GetString());
        Assert.Equal("2003-09-29", untoc.GetProperty("entryIntoForce").GetString());
        Assert.Contains(untoc.GetProperty("parties").EnumerateArray(), p => p.GetProperty("state").GetString() == "CN" && p.GetProperty("source").GetProperty("citation").GetString()!.Length > 0);
        Assert.DoesNotContain(untoc.GetProperty("parties").EnumerateArray(), p => p.GetProperty("state").GetString() == "IR");
        Assert.Contains(untoc.GetProperty("signatories").EnumerateArray(), p => p.GetProperty("state").GetString() == "IR");
        Assert.Contains(untoc.GetProperty("designations").EnumerateArray(), d => d.GetProperty("state").GetString() == "CN" && d.GetProperty("authorities")[0].GetString() == "CN-MOJ");
        Assert.All(instruments.EnumerateArray(), i => Assert.Contains(i.GetProperty("source").GetProperty("confidence").GetString(), new[] { "checked", "lead" }));

        // The directory says, per authority, its languages and the instruments under which its state designated it.
        var authorities = await fixture.Api.As("KZ-GP", "viewer").GetFromJsonAsync<JsonElement>("/api/authorities", Cancel);
        var ministry = authorities.EnumerateArray().Single(a => a.GetProperty("code").GetString() == "CN-MOJ");
        Assert.Contains("zh", ministry.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        var designated = ministry.GetProperty("designatedUnder").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains("untoc", designated);
        Assert.Contains("cn-kz-1993", designated);
        var supervisory = authorities.EnumerateArray().Single(a => a.GetProperty("code").GetString() == "CN-NSC");
        Assert.DoesNotContain("untoc", supervisory.GetProperty("designatedUnder").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task The_bases_two_authorities_may_file_under_depend_on_the_day_and_name_the_designated_authorities()
    {
        var client = fixture.Api.As("KZ-GP", "filer");

        // 2010: UNCAC binds Kazakhstan (2008) and Iran (2009); UNTOC does not bind Iran, which only signed it.
        var bases = await client.GetFromJsonAsync<JsonElement>("/api/reference/legal-bases?requestingAuthority=KZ-GP&requestedAuthority=IR-JUD&on=2010-01-01", Cancel);
        Assert.Equal(["uncac"], bases.EnumerateArray().Select(b => b.GetProperty("basis").GetProperty("code").GetString()));

        // 2007: UNCAC did not yet bind Kazakhstan (in force for it from 2008-07-18).
        var before = await client.GetFromJsonAsync<JsonElement>("/api/reference/legal-bases?requestingAuthority=KZ-GP&requestedAuthority=IR-JUD&on=2007-01-01", Cancel);
        Assert.Empty(before.EnumerateArray());

        // China designated its Ministry of Justice under UNTOC art. 18(13).
        var toChina = await client.GetFromJsonAsync<JsonElement>("/api/reference/legal-bases?requestingAuthority=KZ-GP&requestedAuthority=CN-SPP&on=2016-01-01", Cancel);
        var untoc = toChina.EnumerateArray().Single(b => b.GetProperty("basis").GetProperty("code").GetString() == "untoc");
        Assert.Equal(["CN-MOJ"], untoc.GetProperty("requestedStateDesignated").EnumerateArray().Select(a => a.GetString()));

        var unknown = await client.GetAsync("/api/reference/legal-bases?requestingAuthority=KZ-GP&requestedAuthority=XX-NONE", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("requestedAuthority", out _));
    }

    [Fact]
    public async Task A_filing_under_a_basis_that_does_not_bind_both_states_is_refused_naming_the_field_and_files_nothing()
    {
        var client = fixture.Api.As("KZ-GP", "filer");
        var subject = "Catalogue refusal " + Guid.NewGuid().ToString("N")[..8];
        var body = Requests.Json(subject, requested: "IR-JUD", legalBasis: "untoc");
        var refused = await client.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").GetProperty("legalBasis")[0].GetString()!;
        Assert.Contains("does not bind IR", message, StringComparison.Ordinal);
        Assert.Contains("uncac", message, StringComparison.Ordinal);

        // The free-text treaty is retired: sent, it is refused on its own field.
        body["legalBasis"] = "uncac";
        body["treaty"] = "Shanghai Convention";
        var withTreaty = await client.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, withTreaty.StatusCode);
        Assert.True((await withTreaty.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("treaty", out _));

        // Nothing was filed under that subject.
        var list = await client.GetFromJsonAsync<JsonElement>("/api/requests?partner=IR-JUD&limit=200", Cancel);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("subject").GetString() == subject);

        // Under UNCAC, without the treaty field, it is filed.
        body.Remove("treaty");
        var filed = await client.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Equal("uncac", (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("legalBasis").GetString());
    }

    [Fact]
    public async Task Under_untoc_a_requested_by_date_needs_its_reasons_progress_is_asked_and_answered_and_refusal_waits_for_a_consultation()
    {
        var filer = fixture.Api.As("KZ-GP", "filer");
        var handler = fixture.Api.As("CN-MOJ", "handler");
        var body = Requests.Json("UNTOC duties " + Guid.NewGuid().ToString("N")[..8], legalBasis: "untoc");
        body["requestedBy"] = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // UNTOC art. 18(24): deadlines "for which reasons are given".
        var bare = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("UNTOC art. 18(24)", (await bare.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").GetProperty("requestedByReasons")[0].GetString(), StringComparison.Ordinal);

        body["requestedByReasons"] = "The trial opens in two months.";
        var filed = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var view = await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("The trial opens in two months.", view.GetProperty("requestedByReasons").GetString());
        var id = view.GetProperty("id").GetGuid();

        async Task<(HttpStatusCode Status, JsonElement Json)> Act(HttpClient client, string action, object? details = null)
        {
            var current = await client.GetAsync($"/api/requests/{id}", Cancel);
            var message = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(details ?? new { }) };
            message.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
            var response = await client.SendAsync(message, Cancel);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
        }

        // UNTOC art. 18(26): no refusal offered or taken before a consultation.
        var handlerView = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        var offered = handlerView.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("consult", offered);
        Assert.DoesNotContain("refuse", offered);
        var refused = await Act(handler, "refuse", new { grounds = "art. 18(21)(b)" });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.StartsWith("UNTOC art. 18(26): consult the requesting State Party", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // UNTOC art. 18(24): an ask on progress, answered.
        Assert.Equal(HttpStatusCode.OK, (await Act(filer, "ask-progress")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Act(filer, "ask-progress")).Status);
        var answered = await Act(handler, "report-progress", new { note = "Accounts requested from the bank." });
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal("met", answered.Json.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "progress").GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Act(handler, "consult", new { note = "Proposed limiting use to this case." })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(handler, "refuse", new { grounds = "art. 18(21)(b)" })).Status);
    }
}
