using MutualAssistance.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A seeded fuzz over every route, through Kestrel on a real port: malformed and truncated JSON, wrong types, huge
/// strings and arrays, invalid UTF-8, control characters, path tricks in ids, duplicate and oversized headers,
/// forged and tampered tokens. Never a 5xx, never a stored change, never another authority's data.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ApiFixture fixture)
{
    private const string Owner = "UZ-GP";
    private const string Partner = "IN-MHA";
    private const string Stranger = "PK-MOI";
    private static readonly string Secret = "secret-subject-" + Guid.NewGuid().ToString("N");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hostile_input_on_every_route_gets_no_5xx_changes_nothing_and_leaks_nothing()
    {
        await using var api = ApiFactory.Create(fixture.ConnectionString, fixture.ClusterId);
        api.UseKestrel(0);
        api.StartServer();
        var baseAddress = api.ClientOptions.BaseAddress;

        // The victim: a request between two other authorities, whose subject must never reach the stranger.
        var owner = api.As(Owner, "filer");
        var filed = await owner.PostAsJsonAsync("/api/requests", new
        {
            requestingAuthority = Owner, requestedAuthority = Partner, legalBasis = "uncac", assistanceTypes = new[] { "other" },
            subject = Secret, summaryOfFacts = Secret,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var victim = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        // The read model has the victim before counting (its row is written in the filing's transaction; polled, not slept).
        await Poll.Until(async () =>
        {
            await using var connection = new NpgsqlConnection(fixture.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM request_summaries WHERE request_id = @id", connection);
            command.Parameters.AddWithValue("id", victim);
            return (long)(await command.ExecuteScalarAsync(Cancel))! == 1 ? (object)true : null;
        }, TimeSpan.FromSeconds(10), "the victim in the read model", Cancel);
        var before = await Fingerprint();

        using var raw = new HttpClient { BaseAddress = baseAddress };
        var random = new Random(20261130);
        var failures = new List<string>();
        var sent = 0;
        foreach (var (method, path, body, contentType, headers, caller) in Cases(victim, random))
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
            }

            if (caller is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + caller);
            }

            foreach (var (name, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await raw.SendAsync(request, Cancel);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{method} {path}: connection failed ({e.Message})");
                continue;
            }

            sent++;
            var text = await response.Content.ReadAsStringAsync(Cancel);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
            }

            if (text.Contains(Secret, StringComparison.Ordinal) && caller != Tokens.Owner && caller != Tokens.Partner)
            {
                failures.Add($"{method} {path}: leaked the victim's subject to a non-party");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(sent > 300, $"only {sent} requests were sent");
        Assert.Equal(before, await Fingerprint());
    }

    /// <summary>What any stored change would alter: every request's state, events, keys, person tokens and erasures, the read model's rows.</summary>
    private async Task<string> Fingerprint()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM orleans_storage) || '|' ||
                   (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM request_summaries) || '|' ||
                   (SELECT count(*) FROM request_clocks) || '|' ||
                   (SELECT count(*) || ':' || coalesce(md5(string_agg(md5(payload), ',' ORDER BY request_id)), '') FROM request_state) || '|' ||
                   (SELECT count(*) FROM request_events) || '|' || (SELECT count(*) FROM request_keys) || '|' ||
                   (SELECT count(*) FROM request_person_index) || '|' || (SELECT count(*) FROM request_erasures) || '|' ||
                   (SELECT count(*) FROM webhook_subscriptions)
            """, connection);
        return (string)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private static class Tokens
    {
        public static readonly string Owner = TestTokens.For(HostileInputTests.Owner, "supervisor");
        public static readonly string Partner = TestTokens.For(HostileInputTests.Partner, "supervisor");
        public static readonly string Stranger = TestTokens.For(HostileInputTests.Stranger, "supervisor");
        public static readonly string StrangerAuditor = TestTokens.For(HostileInputTests.Stranger, "auditor");
        public static readonly string StrangerAdmin = TestTokens.For(HostileInputTests.Stranger, "admin");
    }

    private static IEnumerable<(HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string, string)[] Headers, string? Caller)> Cases(Guid victim, Random random)
    {
        string[] idTricks =
        [
            victim.ToString(), "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "00000000-0000-0000-0000-000000000000", new string('9', 5000),
            victim.ToString().ToUpperInvariant(), "%00", "{" + victim + "}", "' OR 1=1 --", "%E2%80%AE", "NaN",
        ];
        string[] actions = ["acknowledge", "extend", "refuse", "close", "withdraw", "..", "%2F", new string('a', 3000), "accept%00"];
        string[] queries =
        [
            "?limit=-1", "?limit=999999999999", "?cursor=%00%01", "?cursor=" + new string('A', 10000), "?status=%27", "?within=P99999999Y",
            "?minEscalationLevel=abc", "?overdue=maybe", "?partner=" + Uri.EscapeDataString(Partner + "' OR '1'='1"), "?side=../../",
            "?from=2025-13-45&to=x", "?year=-5", "?legalBasis=" + new string('x', 5000),
        ];
        var callers = new[] { Tokens.Stranger, Tokens.Stranger, Tokens.Owner, Forged(), Tampered(), "none", null };

        foreach (var id in idTricks)
        {
            foreach (var caller in callers)
            {
                yield return (HttpMethod.Get, $"/api/requests/{id}", null, null, [], caller);
                yield return (HttpMethod.Get, $"/api/requests/{id}/history", null, null, [], caller);
                yield return (HttpMethod.Get, $"/api/requests/{id}/history/verification", null, null, [], caller);
                foreach (var action in actions.Take(3))
                {
                    yield return (HttpMethod.Post, $"/api/requests/{id}/actions/{action}", Garbage(random), null, [("If-Match", "\"1\"")], caller == Tokens.Owner ? Tokens.Stranger : caller);
                }
            }
        }

        foreach (var action in actions)
        {
            // The stranger acting on the victim with any body: always 404 (existence not disclosed), never a change.
            yield return (HttpMethod.Post, $"/api/requests/{victim}/actions/{action}", Garbage(random), null, [("If-Match", "*")], Tokens.Stranger);
        }

        foreach (var query in queries)
        {
            foreach (var path in new[] { "/api/requests", "/api/deadlines", "/api/reports/breaches", $"/api/authorities/{Partner}/calendar" })
            {
                yield return (HttpMethod.Get, path + query, null, null, [], Tokens.Stranger);
            }

            yield return (HttpMethod.Get, "/api/audit/log" + query, null, null, [], Tokens.StrangerAuditor);
        }

        // The consultation log's inputs: purposes and audit queries that are too long, control characters, SQL.
        yield return (HttpMethod.Get, $"/api/requests/{victim}", null, null, [("X-Purpose", new string('p', 5000))], Tokens.Stranger);
        yield return (HttpMethod.Get, "/api/requests?purpose=%00%1B%E2%80%AE", null, null, [], Tokens.Stranger);
        yield return (HttpMethod.Get, "/api/requests?purpose=a&purpose=b", null, null, [("X-Purpose", "c")], Tokens.Stranger);
        yield return (HttpMethod.Get, $"/api/audit/log?requestId={victim}&subject=%27%20OR%201%3D1%20--", null, null, [], Tokens.StrangerAuditor);
        yield return (HttpMethod.Get, "/api/audit/log?from=" + new string('9', 5000), null, null, [], Tokens.StrangerAuditor);
        yield return (HttpMethod.Get, "/api/audit/log?subject=" + new string('s', 5000), null, null, [("Accept", "text/csv")], Tokens.StrangerAuditor);
        yield return (HttpMethod.Get, "/api/audit/verification", null, null, [], Tokens.Stranger);

        // Webhooks: another authority's admin with any body, on any id; limits that are not limits.
        yield return (HttpMethod.Post, "/api/webhooks", Garbage(random), null, [], Tokens.StrangerAdmin);
        yield return (HttpMethod.Post, "/api/webhooks", Encoding.UTF8.GetBytes("""{"url":"javascript:alert(1)"}"""), null, [], Tokens.StrangerAdmin);
        yield return (HttpMethod.Post, "/api/webhooks", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1/x","events":[1,2]}"""), null, [], Tokens.StrangerAdmin);
        foreach (var id in idTricks)
        {
            yield return (HttpMethod.Delete, $"/api/webhooks/{id}", null, null, [], Tokens.StrangerAdmin);
            yield return (HttpMethod.Get, $"/api/webhooks/{id}/deliveries?limit=-1", null, null, [], Tokens.StrangerAdmin);
        }

        // Erasure and the person search: another state's admin with any body on any id; names that are not names.
        foreach (var id in idTricks)
        {
            yield return (HttpMethod.Post, $"/api/requests/{id}/erasure", Garbage(random), null, [], Tokens.StrangerAdmin);
        }

        yield return (HttpMethod.Post, $"/api/requests/{victim}/erasure", Encoding.UTF8.GetBytes("""{"reason":"order"}"""), null, [], Tokens.StrangerAdmin);
        yield return (HttpMethod.Post, $"/api/requests/{victim}/erasure", Encoding.UTF8.GetBytes("""{"reason":"order"}"""), null, [], Tokens.Partner);
        foreach (var person in new[] { new string('n', 5000), "%00%1B", "%27%20OR%201%3D1%20--", "%E2%80%AE%D0%81", "%F0%9F%92%A9%20" + new string('x', 190), "a&person=b" })
        {
            yield return (HttpMethod.Get, "/api/requests?person=" + person, null, null, [], Tokens.Stranger);
        }

        for (var i = 0; i < 80; i++)
        {
            // Filing: malformed, truncated, wrong types, huge, invalid UTF-8, control characters - as a filer who may file.
            yield return (HttpMethod.Post, "/api/requests", Garbage(random), i % 7 == 0 ? "text/plain" : null, [], TestTokens.For(Stranger, "filer"));
        }

        // Headers: duplicates, oversized, odd content types.
        yield return (HttpMethod.Get, "/api/requests", null, null, [("Authorization", "Bearer " + Tokens.Owner)], Tokens.Stranger);
        yield return (HttpMethod.Get, "/api/requests", null, null, [("X-Padding", new string('x', 40_000))], Tokens.Stranger);
        yield return (HttpMethod.Get, $"/api/requests/{victim}", null, null, [("If-None-Match", new string('"', 10_000))], Tokens.Stranger);
        yield return (HttpMethod.Post, $"/api/requests/{victim}/actions/acknowledge", null, null, [("If-Match", "\"1\", \"2\""), ("If-Match", "*")], Tokens.Partner);
        yield return (HttpMethod.Post, "/api/requests", Encoding.UTF8.GetBytes("{}"), "application/json; charset=utf-32", [("Idempotency-Key", new string('k', 5000))], Tokens.Owner);
        yield return (HttpMethod.Post, "/api/requests", new byte[300 * 1024], null, [], Tokens.Owner);
        yield return (HttpMethod.Get, "/api/authorities/" + Uri.EscapeDataString("../../ReferenceData/policies.json"), null, null, [], Tokens.Stranger);
        yield return (HttpMethod.Get, "/api/deadlines/stream?access_token=" + Forged(), null, null, [], null);
    }

    /// <summary>A token signed by nobody we trust: "alg": "none".</summary>
    private static string Forged()
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{B64("""{"alg":"none","typ":"JWT"}""")}.{B64($$"""{"sub":"x","authority":"{{Owner}}","role":"supervisor","iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","exp":4102444800}""")}.";
    }

    /// <summary>A real token whose payload was changed to another authority, keeping the old signature.</summary>
    private static string Tampered()
    {
        var parts = TestTokens.For(Stranger, "supervisor").Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/').PadRight((parts[1].Length + 3) / 4 * 4, '=')));
        var changed = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace(Stranger, Owner, StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{changed}.{parts[2]}";
    }

    private static byte[] Garbage(Random random)
    {
        var valid = new JsonObject
        {
            ["requestingAuthority"] = Stranger, ["requestedAuthority"] = Partner, ["legalBasis"] = "eio",
            ["assistanceTypes"] = new JsonArray("other"), ["subject"] = "s", ["summaryOfFacts"] = "f",
            ["reason"] = "r", ["grounds"] = "g", ["clock"] = "decision", ["days"] = 5,
        }.ToJsonString();
        return random.Next(10) switch
        {
            0 => Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length)]),                                   // truncated
            1 => Encoding.UTF8.GetBytes(valid.Replace("\"eio\"", "42", StringComparison.Ordinal).Replace("5}", "\"five\"}", StringComparison.Ordinal)), // wrong types
            2 => Encoding.UTF8.GetBytes(valid.Replace("\"s\"", "\"" + new string('s', 200_000) + "\"", StringComparison.Ordinal)), // huge string
            3 => Encoding.UTF8.GetBytes(valid.Replace("[\"other\"]", "[" + string.Join(',', Enumerable.Repeat("\"other\"", 20_000)) + "]", StringComparison.Ordinal)), // huge array
            4 => [.. Encoding.UTF8.GetBytes(valid[..20]), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(valid[20..])],  // invalid UTF-8
            5 => Encoding.UTF8.GetBytes(valid.Replace("\"s\"", "\"\\u0000\\u0007\\u001b[31m\"", StringComparison.Ordinal)), // control characters
            6 => Encoding.UTF8.GetBytes(new string('[', 5000)),                                                   // deep nesting
            7 => Encoding.UTF8.GetBytes("{\"subject\":\"a\",\"subject\":{\"$ref\":\"#\"},\"personsConcerned\":[null,1,{}]}"), // duplicates, nulls
            8 => [],                                                                                               // empty
            _ => [.. Enumerable.Range(0, 512).Select(_ => (byte)random.Next(256))],                                // noise
        };
    }
}
