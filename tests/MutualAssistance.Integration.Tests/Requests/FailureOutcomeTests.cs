using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Api;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// What a caller is told when something fails during a write, checked against what was stored: a failure after
/// the durable write never fails an applied action; a write that may have committed is "outcome unknown", and a
/// read afterwards shows whether it landed; a silo killed with the call in flight is never "not applied".
/// </summary>
public sealed class FailureOutcomeTests(DatabaseFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static JsonObject Filing(string subject) => new()
    {
        ["requestingAuthority"] = "KZ-GP", ["requestedAuthority"] = "CN-MOJ", ["legalBasis"] = "eio",
        ["assistanceTypes"] = new JsonArray("taking-evidence"), ["subject"] = subject, ["summaryOfFacts"] = "f",
    };

    [Fact]
    public async Task A_reminder_update_that_fails_after_the_write_leaves_the_action_applied_and_is_retried()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("reminder_fault");
        var clusterId = "reminder-fault-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await InProcessSilo.StartAsync(connectionString, clusterId);
        await using var api = ApiFactory.Create(connectionString, clusterId);
        var handler = api.As("CN-MOJ", "handler");

        var id = await File(api, "reminder fault");
        var (startBefore, versionBefore) = await Reminder(connectionString);

        // The reminder table refuses every write until disarmed.
        await Execute(connectionString, """
            CREATE TABLE test_faults (armed boolean NOT NULL);
            INSERT INTO test_faults VALUES (true);
            CREATE FUNCTION test_reminder_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (SELECT armed FROM test_faults) THEN RAISE EXCEPTION 'injected: the reminder table is unavailable'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_reminder_fault BEFORE INSERT OR UPDATE ON orleans_reminders FOR EACH ROW EXECUTE FUNCTION test_reminder_fault();
            """);

        // Accepting starts the execution clock, so the reminder must move; its update fails, the action stands.
        using var accepted = await Act(handler, id, "accept", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("\"2\"", accepted.Headers.ETag!.Tag);
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal("accepted", view.GetProperty("status").GetString());
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal((startBefore, versionBefore), await Reminder(connectionString));

        // Once the table takes writes again, the grain's retry points the reminder at the execution clock.
        await Execute(connectionString, "UPDATE test_faults SET armed = false");
        var moved = await Poll.Until(
            async () => await Reminder(connectionString) is var now && now.Version > versionBefore ? (object)now : null,
            TimeSpan.FromSeconds(30), "the reminder updated by the retry", Cancel);
        Assert.NotEqual(startBefore, (((DateTime Start, int Version))moved).Start);
    }

    [Fact]
    public async Task A_state_write_that_fails_after_committing_is_outcome_unknown_and_a_read_shows_it_landed()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("commit_then_fail");
        var clusterId = "commit-fail-" + Guid.NewGuid().ToString("N")[..8];
        var fault = new CommitThenFail.Switch();
        await using var silo = await InProcessSilo.StartAsync(connectionString, clusterId, configure: services => CommitThenFail.Install(services, fault));
        await using var api = ApiFactory.Create(connectionString, clusterId);
        var handler = api.As("CN-MOJ", "handler");
        var id = await File(api, "commit then fail");

        fault.Armed = true;
        using var failed = await Act(handler, id, "accept", "\"1\"");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);
        var problem = await failed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(ClusterUnavailableHandler.OutcomeUnknown, problem.GetProperty("type").GetString());
        Assert.False(fault.Armed, "the fault was not reached");

        // An action's advice: re-read, retry with the same If-Match (not a filing's Idempotency-Key).
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("If-Match", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Idempotency-Key", detail, StringComparison.Ordinal);

        // The write had committed: reading again shows it (the activation that failed did not keep its old memory).
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal("accepted", view.GetProperty("status").GetString());

        // Retrying with the same If-Match is safe: 412, and the history holds the accept once.
        using var retried = await Act(handler, id, "accept", "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, retried.StatusCode);
        var history = (await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
        Assert.Equal(1, history.EnumerateArray().Count(e => e.GetProperty("event").GetString() == "accept"));

        // A filing's advice: retry with the same Idempotency-Key, in the caller's language too.
        fault.Armed = true;
        var filing = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Filing("commit then fail, filed")) };
        filing.Headers.TryAddWithoutValidation("Idempotency-Key", "commit-then-fail-" + Guid.NewGuid().ToString("N"));
        filing.Headers.AcceptLanguage.ParseAdd("ru");
        using var filed = await api.As("KZ-GP", "filer").SendAsync(filing, Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, filed.StatusCode);
        var filingProblem = await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(ClusterUnavailableHandler.OutcomeUnknown, filingProblem.GetProperty("type").GetString());
        Assert.Contains("Idempotency-Key", filingProblem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("If-Match", filingProblem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("кластер", filingProblem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_killed_with_the_call_in_flight_answers_outcome_unknown_and_a_read_shows_the_truth()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("kill_mid_call");
        var databaseName = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2, serviceId: ApiFactory.ServiceId);
        await using var api = ApiFactory.Create(connectionString, cluster.Options.ClusterId);
        var handler = api.As("CN-MOJ", "handler");
        var id = await File(api, "kill mid call");
        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(cluster.Client.GetGrain<IAssistanceRequestGrain>(id), Cancel);
        var victim = Assert.Single(cluster.Silos, s => s.SiloAddress.Equals(host));

        // Hold the request's storage row, so that the accept is inside its grain, writing, when the silo dies.
        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync(Cancel);
        var hold = await blocker.BeginTransactionAsync(Cancel);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM request_state FOR UPDATE", blocker, hold))
        {
            await lockRow.ExecuteNonQueryAsync(Cancel);
        }

        var call = Act(handler, id, "accept", "\"1\"");
        await Poll.Until(async () => await Count(connectionString, $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{databaseName}' AND wait_event_type = 'Lock'") > 0 ? (object)true : null,
            TimeSpan.FromSeconds(30), "the accept waiting on the row", Cancel);
        await cluster.KillSiloAsync(victim, Cancel);

        using var response = await call;
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode} {body}");
        Assert.Equal(ClusterUnavailableHandler.OutcomeUnknown, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());

        // Let the dead silo's write go ahead or fail, wait until no write of it is left, then read what is stored.
        await hold.RollbackAsync(Cancel);
        await Poll.Until(async () => await Count(connectionString, $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{databaseName}' AND state = 'active' AND query LIKE '%request_commit%' AND pid <> pg_backend_pid()") == 0 ? (object)true : null,
            TimeSpan.FromSeconds(30), "the killed silo's write finished", Cancel);
        var view = await Poll.Until(async () =>
        {
            using var read = await handler.GetAsync($"/api/requests/{id}", Cancel);
            return read.StatusCode == HttpStatusCode.OK ? (object)await read.Content.ReadFromJsonAsync<JsonElement>(Cancel) : null;
        }, TimeSpan.FromSeconds(30), "the request served by the survivor", Cancel);
        var version = ((JsonElement)view).GetProperty("version").GetInt32();
        var history = (await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
        var accepts = history.EnumerateArray().Count(e => e.GetProperty("event").GetString() == "accept");
        TestContext.Current.TestOutputHelper?.WriteLine($"answered {(int)response.StatusCode}; stored version {version}, {accepts} accept(s)");
        Assert.Equal(version == 2 ? 1 : 0, accepts);
        Assert.InRange(version, 1, 2);
    }

    private static async Task<Guid> File(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> api, string subject)
    {
        using var filed = await api.As("KZ-GP", "filer").PostAsJsonAsync("/api/requests", Filing(subject), Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        return (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task<HttpResponseMessage> Act(HttpClient client, Guid id, string action, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Cancel);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private static async Task<long> Count(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }

    /// <summary>The one reminder in the database: when it fires next, and its version.</summary>
    private static async Task<(DateTime Start, int Version)> Reminder(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT starttime, version FROM orleans_reminders", connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel), "no reminder");
        var row = (reader.GetDateTime(0), reader.GetInt32(1));
        Assert.False(await reader.ReadAsync(Cancel), "more than one reminder");
        return row;
    }

    /// <summary>
    /// A request store that, once armed, commits and then throws as a connection broken after the commit would: the
    /// change is stored, the grain hears a storage error.
    /// </summary>
    private sealed class CommitThenFail(IRequestStore inner, CommitThenFail.Switch fault) : IRequestStore
    {
        public sealed class Switch
        {
            private int armed;

            public bool Armed
            {
                get => Volatile.Read(ref armed) == 1;
                set => Volatile.Write(ref armed, value ? 1 : 0);
            }

            public bool Fire() => Interlocked.Exchange(ref armed, 0) == 1;
        }

        public static void Install(IServiceCollection services, Switch fault)
        {
            var original = services.Single(d => d.ServiceType == typeof(IRequestStore));
            services.Remove(original);
            services.AddSingleton<IRequestStore>(sp => new CommitThenFail((IRequestStore)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!), fault));
        }

        public Task<AssistanceRequest?> Read(Guid id, CancellationToken cancellationToken = default) => inner.Read(id, cancellationToken);

        public Task Erase(AssistanceRequest erased, CancellationToken cancellationToken = default) => inner.Erase(erased, cancellationToken);

        public Task<AssistanceRequest?> Peek(Guid id, CancellationToken cancellationToken = default) => inner.Peek(id, cancellationToken);

        public async Task Commit(RequestChange change, CancellationToken cancellationToken = default)
        {
            await inner.Commit(change, cancellationToken);
            if (fault.Fire())
            {
                throw new NpgsqlException("Injected: the connection broke after the commit.");
            }
        }

        public Task<System.Collections.Immutable.ImmutableArray<MutualAssistance.Domain.History.HistoryEntry>> ReadHistory(Guid id, int after, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadHistory(id, after, limit, cancellationToken);
    }
}
