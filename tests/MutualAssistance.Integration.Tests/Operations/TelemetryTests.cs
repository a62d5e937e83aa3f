using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MutualAssistance.Grains.Telemetry;
using MutualAssistance.Testing;
using OpenTelemetry.Trace;

namespace MutualAssistance.Integration.Tests;

/// <summary>One trace from the HTTP request through the grain call to PostgreSQL, and our meter's figures after a scripted scenario.</summary>
public sealed class TelemetryTests(DatabaseFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Filing_is_one_trace_from_http_through_the_grain_to_postgres_and_the_meter_counts_the_scenario()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("telemetry");
        var clusterId = "otel-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new LockedCollection<Activity>();
        await using var silo = await InProcessSilo.StartAsync(connectionString, clusterId, configure: services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        await using var api = ApiFactory.Create(connectionString, clusterId).WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))));

        var meters = silo.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var filed = new MetricCollector<long>(meters, RequestMetrics.MeterName, "ma.requests.filed");
        using var actions = new MetricCollector<long>(meters, RequestMetrics.MeterName, "ma.actions");
        using var clockEvents = new MetricCollector<long>(meters, RequestMetrics.MeterName, "ma.clock.events");

        // Registered 20 days after receipt: the 10-day treaty acknowledgement is already breached and at level 2.
        var body = new JsonObject
        {
            ["requestingAuthority"] = "PK-MOI", ["requestedAuthority"] = "TJ-GP", ["legalBasis"] = "uncac",
            ["assistanceTypes"] = new JsonArray("other"), ["subject"] = "Telemetry", ["summaryOfFacts"] = "Facts.",
            ["receivedAt"] = DateTimeOffset.UtcNow.AddDays(-20).ToString("O"),
            ["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = "Zhang Wei-Persona", ["role"] = "witness" }),
        };
        // Other tests' hosts run in this process too and their spans reach these exporters: the POST carries a trace
        // id of our own (W3C traceparent), and the trace is told apart by it.
        var traceId = ActivityTraceId.CreateRandom();
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(body) };
        post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var created = await api.As("TJ-GP", "handler").SendAsync(post, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var accepted = await api.As("TJ-GP", "handler").SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/accept") { Headers = { { "If-Match", created.Headers.ETag!.Tag } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var refused = await api.As("TJ-GP", "handler").SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/close") { Headers = { { "If-Match", accepted.Headers.ETag!.Tag } } }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The trace: the API's server span for the POST, and under the same trace id the grain call on both sides
        // and the PostgreSQL command of the request's commit (its events, state and read-model rows).
        Activity[] all = [.. spans.Snapshot().DistinctBy(s => s.SpanId)];

        var trace = all.Where(s => s.TraceId == traceId).ToArray();
        var server = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.DisplayName.StartsWith("POST", StringComparison.Ordinal)
            && s.GetTagItem("http.route") as string == "/api/requests/");
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Client && s.DisplayName.Contains("File", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Server && s.DisplayName.Contains("File", StringComparison.Ordinal));
        var sql = Assert.Single(trace.Where(s => s.Source.Name == "Npgsql"), s => (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) is string text && text.Contains("request_commit", StringComparison.Ordinal));
        Assert.True(IsDescendant(sql, server, trace), "the commit is a descendant of the HTTP request's span");
        // No person concerned in any span.
        Assert.DoesNotContain(all, s => s.DisplayName.Contains("Zhang", StringComparison.Ordinal)
            || s.TagObjects.Any(t => t.Value?.ToString()?.Contains("Zhang", StringComparison.Ordinal) == true));

        // The meter: one request filed, the accept applied and the close refused, the breach and its two levels.
        Assert.Equal(1, filed.GetMeasurementSnapshot().EvaluateAsCounter());
        var byAction = actions.GetMeasurementSnapshot();
        Assert.Equal(1, byAction.Where(m => m.Tags["action"] as string == "Accept" && m.Tags["outcome"] as string == "Applied").Sum(m => m.Value));
        Assert.Equal(1, byAction.Where(m => m.Tags["action"] as string == "Close" && m.Tags["outcome"] as string == "Forbidden").Sum(m => m.Value));
        var events = clockEvents.GetMeasurementSnapshot();
        Assert.Equal(1, events.Where(m => m.Tags["event"] as string == "Breach").Sum(m => m.Value));
        Assert.Equal([1, 2], events.Where(m => m.Tags["event"] as string == "Escalation").Select(m => (int)m.Tags["level"]!).Order());
    }

    /// <summary>A collection that exporters on several threads (two hosts, background work) may add to safely.</summary>
    private sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count { get { lock (items) { return items.Count; } } }

        public bool IsReadOnly => false;

        public void Add(T item) { lock (items) { items.Add(item); } }

        public void Clear() { lock (items) { items.Clear(); } }

        public bool Contains(T item) { lock (items) { return items.Contains(item); } }

        public void CopyTo(T[] array, int arrayIndex) { lock (items) { items.CopyTo(array, arrayIndex); } }

        public bool Remove(T item) { lock (items) { return items.Remove(item); } }

        public T[] Snapshot() { lock (items) { return [.. items]; } }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static bool IsDescendant(Activity span, Activity ancestor, IReadOnlyCollection<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }
}
