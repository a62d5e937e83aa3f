using MutualAssistance.Testing;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Persistence;
using MutualAssistance.ReadSide.Writing;
using MutualAssistance.Silo.ReadModel;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>The read model written in each change's own transaction (all or nothing with the events and state), the append-only history, the sweep, the rebuild.</summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class ReadModelTests(DeadlineClusterFixture fixture)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    private IServiceProvider Silo => fixture.Cluster.GetSiloServiceProvider();

    [Fact]
    public async Task After_each_change_the_model_holds_what_the_grain_holds()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample() with { LegalBasis = LegalBases.Eio, ReceivedAt = null }, Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Accept }, Handler);
        await grain.Act(new ActionCommand { Action = RequestAction.Postpone, Reason = "awaiting a court date" }, Handler);

        var view = (await grain.Get(null))!;
        var row = await Summary(view.Id);
        Assert.Equal(view.Version, row.Version);
        Assert.Equal("postponed", row.Status);
        Assert.Equal(view.Clocks.Length, row.Clocks.Count);
        foreach (var clock in view.Clocks)
        {
            var stored = row.Clocks.Single(c => c.Id == clock.Id);
            Assert.Equal(clock.State.ToString().ToLowerInvariant(), stored.State);
            Assert.Equal(clock.DueAt, stored.DueAt);
        }
    }

    [Fact]
    public async Task After_a_mixed_concurrent_run_the_model_equals_the_grains()
    {
        var client = fixture.Cluster.Client;
        RequestAction[] script = [RequestAction.Acknowledge, RequestAction.Accept, RequestAction.PartiallyExecute, RequestAction.Postpone, RequestAction.Resume, RequestAction.Execute, RequestAction.Close];
        var grains = Enumerable.Range(0, 40).Select(_ => client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid())).ToArray();
        await Task.WhenAll(grains.Select(g => g.File(Requests.Sample() with { LegalBasis = LegalBases.Eio, ReceivedAt = null }, Filer)));

        // Every request goes its own way through the script, all of them at once; some actions are refused on purpose.
        await Task.WhenAll(grains.Select(async (grain, i) =>
        {
            foreach (var action in script.Take(1 + (i % script.Length)))
            {
                var actor = action == RequestAction.Close ? Filer : Handler;
                await grain.Act(new ActionCommand { Action = action, Reason = "mixed run" }, actor);
                if (i % 3 == 0)
                {
                    await grain.Act(new ActionCommand { Action = RequestAction.Withdraw, Reason = "concurrent" }, Filer);
                }
            }
        }));

        foreach (var grain in grains)
        {
            var view = (await grain.Get(null))!;
            var row = await Summary(view.Id);
            Assert.Equal(view.Version, row.Version);
            Assert.Equal(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(view.Status.ToString()), row.Status);
            Assert.Equal(view.Clocks.Select(c => (c.Id, c.State.ToString().ToLowerInvariant(), c.DueAt)).OrderBy(c => c.Id), row.Clocks.Select(c => (c.Id, c.State, c.DueAt)));
        }
    }

    [Fact]
    public async Task An_older_version_never_overwrites_a_newer_one()
    {
        var dataSource = Silo.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var data = Silo.GetRequiredService<CurrentReferenceData>().Set;
        var id = Guid.NewGuid();
        var v1 = AssistanceRequest.File(id, Requests.Sample(), Requests.Filer, fixture.Clock.GetUtcNow(), data);
        var v2 = v1.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, fixture.Clock.GetUtcNow(), data).Request;

        Assert.Equal(1, await ReadModelBatch.ApplyAsync(dataSource, [Projections.Of(v2, data)], CancellationToken.None));
        Assert.Equal(0, await ReadModelBatch.ApplyAsync(dataSource, [Projections.Of(v1, data)], CancellationToken.None));
        Assert.Equal(0, await ReadModelBatch.ApplyAsync(dataSource, [Projections.Of(v2, data)], CancellationToken.None));

        var row = await Summary(id);
        Assert.Equal(v2.Version, row.Version);
        Assert.Equal("acknowledged", row.Status);
    }

    [Fact]
    public async Task Only_clocks_that_changed_are_rewritten_and_clocks_gone_are_removed()
    {
        var dataSource = Silo.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var data = Silo.GetRequiredService<CurrentReferenceData>().Set;
        var now = fixture.Clock.GetUtcNow();
        var filed = AssistanceRequest.File(Guid.NewGuid(), Requests.Sample() with { LegalBasis = LegalBases.Eio }, Requests.Filer, now, data);
        var v1 = Projections.Of(filed, data);
        await ReadModelBatch.ApplyAsync(dataSource, [v1], CancellationToken.None);
        var written = await ClockRowVersions(filed.Id);

        // A change that moves no clock (the next version, same clocks): the summary moves, no clock row is written.
        await ReadModelBatch.ApplyAsync(dataSource, [v1 with { Version = 2, Status = RequestStatus.Acknowledged }], CancellationToken.None);
        Assert.Equal(2, (await Summary(filed.Id)).Version);
        Assert.Equal(written, await ClockRowVersions(filed.Id));

        // One clock stops: that row alone is rewritten, with its new state.
        var acknowledged = filed.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, now, data).Request;
        var v3 = Projections.Of(acknowledged, data) with { Version = 3 };
        await ReadModelBatch.ApplyAsync(dataSource, [v3], CancellationToken.None);
        var rewritten = await ClockRowVersions(filed.Id);
        var changed = v3.Clocks.Where(c => !v1.Clocks.Contains(c)).Select(c => c.ClockId).ToHashSet();
        Assert.NotEmpty(changed);
        Assert.All(written, row => Assert.Equal(changed.Contains(row.Key), rewritten[row.Key] != row.Value));
        Assert.Equal(v3.Clocks.Select(c => (c.ClockId, c.State.ToString().ToLowerInvariant())).OrderBy(c => c.ClockId), (await Summary(filed.Id)).Clocks.Select(c => (c.Id, c.State)));

        // A projection without a clock the model holds removes that row.
        await ReadModelBatch.ApplyAsync(dataSource, [v3 with { Version = 4, Clocks = [v3.Clocks[0]] }], CancellationToken.None);
        Assert.Equal([v3.Clocks[0].ClockId], (await Summary(filed.Id)).Clocks.Select(c => c.Id));
    }

    [Fact]
    public async Task A_change_whose_read_model_part_fails_leaves_neither_events_nor_state_nor_model_changed()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var id = grain.GetPrimaryKey();
        await grain.File(Requests.Sample(), Filer);

        // A fault between the statements of the commit: the read-model row of this request's next version is refused.
        var trigger = "fail_" + id.ToString("N");
        await Execute($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected read-model failure'; END; $$;
            CREATE TRIGGER {trigger} BEFORE UPDATE ON request_summaries FOR EACH ROW
                WHEN (NEW.request_id = '{id}' AND NEW.version > 1) EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler));
            Assert.Equal(1, await Scalar<int>($"SELECT version FROM request_state WHERE request_id = '{id}'"));
            Assert.Equal(1L, await Scalar<long>($"SELECT count(*) FROM request_events WHERE request_id = '{id}'"));
            Assert.Equal(1, (await Summary(id)).Version);
        }
        finally
        {
            await Execute($"DROP TRIGGER {trigger} ON request_summaries; DROP FUNCTION {trigger}();");
        }

        // The grain dropped its activation; the same action now lands once, and the chain holds.
        var retried = await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        Assert.Equal(ActionOutcome.Applied, retried.Outcome);
        Assert.Equal(2, retried.Request!.Version);
        Assert.Equal(["file", "acknowledge"], (await grain.History()).Select(e => e.Event));
        Assert.Equal(2, (await Summary(id)).Version);
        Assert.True((await grain.VerifyHistory()).Intact);
    }

    [Fact]
    public async Task A_model_read_right_after_each_change_shows_it()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var filed = await grain.File(Requests.Sample(), Filer);
        Assert.Equal(filed.Request!.Version, (await Summary(grain.GetPrimaryKey())).Version);

        // No wait, no poll: the read model is written in the change's own transaction.
        RequestAction[] script = [RequestAction.Acknowledge, RequestAction.Accept, .. Enumerable.Range(0, 10).SelectMany(_ => new[] { RequestAction.Postpone, RequestAction.Resume })];
        foreach (var action in script)
        {
            var result = await grain.Act(new ActionCommand { Action = action, Reason = "awaiting a hearing" }, Handler);
            Assert.Equal(ActionOutcome.Applied, result.Outcome);
            var row = await Summary(grain.GetPrimaryKey());
            Assert.Equal(result.Request!.Version, row.Version);
            Assert.Equal(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(result.Request.Status.ToString()), row.Status);
        }
    }

    [Fact]
    public async Task The_history_table_refuses_changes_and_removals()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample(), Filer);
        var id = grain.GetPrimaryKey();

        var update = await Assert.ThrowsAsync<PostgresException>(() => Execute($"UPDATE request_events SET reason = 'x' WHERE request_id = '{id}'"));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => Execute($"DELETE FROM request_events WHERE request_id = '{id}'"));
        await Assert.ThrowsAsync<PostgresException>(() => Execute("TRUNCATE request_events"));
        Assert.Equal(1L, await Scalar<long>($"SELECT count(*) FROM request_events WHERE request_id = '{id}'"));
    }

    [Fact]
    public async Task Altered_stored_history_is_caught_by_the_verification_call()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var id = grain.GetPrimaryKey();
        await grain.File(Requests.Sample(), Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        await grain.Act(new ActionCommand { Action = RequestAction.Refuse, Grounds = "dual criminality" }, Handler);
        Assert.True((await grain.VerifyHistory()).Intact);

        // Someone who can bypass the table's triggers rewrites the grounds of the refusal, keeping everything else.
        await Execute($"SET session_replication_role = replica; UPDATE request_events SET reason = 'no grounds given' WHERE request_id = '{id}' AND sequence = 3;");

        var verdict = await grain.VerifyHistory();
        Assert.False(verdict.Intact);
        Assert.Equal(3, verdict.BrokenAt);
    }

    [Fact]
    public async Task Events_cut_off_the_end_of_the_history_are_caught_by_the_verification_call()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var id = grain.GetPrimaryKey();
        await grain.File(Requests.Sample(), Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);

        // The remaining chain is internally sound; only the request's own head shows that an event is missing.
        await Execute($"SET session_replication_role = replica; DELETE FROM request_events WHERE request_id = '{id}' AND sequence = 2;");

        var verdict = await grain.VerifyHistory();
        Assert.False(verdict.Intact);
        Assert.Equal(1, verdict.Entries);
    }

    [Fact]
    public async Task The_sweep_wakes_a_request_whose_reminder_was_removed_behind_its_back()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample() with { LegalBasis = LegalBases.Eio, ReceivedAt = null }, Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        var due = (await grain.Get(null))!.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt!.Value;
        await fixture.Cluster.DeactivateAsync(grain);
        await Execute($"DELETE FROM orleans_reminders WHERE grainid = '{grain.GetGrainId()}'");

        fixture.Clock.SetUtcNow(due + TimeSpan.FromMinutes(5));
        var woken = await Silo.GetRequiredService<DeadlineSweep>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.True(woken >= 1);
        var history = await grain.History();
        Assert.Single(history, e => e.Event == "breach");
        var row = await Summary(grain.GetPrimaryKey());
        Assert.Equal(1, row.EscalationLevel);
        Assert.True(row.NextEventAt > fixture.Clock.GetUtcNow(), "the next event moved past now");

        // Sweeping again (other tests' requests may still be due in this shared database) records nothing more here.
        await Silo.GetRequiredService<DeadlineSweep>().RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Single(await grain.History(), e => e.Event == "breach");
    }

    [Fact]
    public async Task The_model_is_rebuilt_from_stored_state()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var filed = await grain.File(Requests.Sample(), Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Forward, ForwardedTo = "CN-SPP" }, Handler);
        var before = await Summary(filed.Request!.Id);
        await Execute("DELETE FROM request_summaries");

        var rebuilt = await ReadModelRebuild.RunAsync(fixture.ConnectionString, TestReferenceData.Folder, SealingKeys.Ring(), TextWriter.Null, TestContext.Current.CancellationToken);
        Assert.True(rebuilt >= 1);
        var after = await Summary(filed.Request.Id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal("forwarded", after.Status);
        Assert.Equal(before.Clocks.Select(c => (c.Id, c.State, c.DueAt)), after.Clocks.Select(c => (c.Id, c.State, c.DueAt)));
    }

    private sealed record ClockRow(int Id, string State, DateTimeOffset? DueAt);

    private sealed record SummaryRow(int Version, string Status, int EscalationLevel, DateTimeOffset? NextEventAt, List<ClockRow> Clocks);

    private async Task<SummaryRow> Summary(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version, status, escalation_level, next_event_at FROM request_summaries WHERE request_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        SummaryRow summary;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), $"no read-model row for {id}");
            summary = new SummaryRow(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), []);
        }

        await using var clocks = new NpgsqlCommand("SELECT clock_id, state, due_at FROM request_clocks WHERE request_id = @id ORDER BY clock_id", connection);
        clocks.Parameters.AddWithValue("id", id);
        await using var rows = await clocks.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            summary.Clocks.Add(new ClockRow(rows.GetInt32(0), rows.GetString(1), rows.IsDBNull(2) ? null : rows.GetFieldValue<DateTimeOffset>(2)));
        }

        return summary;
    }

    /// <summary>Each clock row's transaction id (xmin): it changes exactly when the row is written.</summary>
    private async Task<Dictionary<int, uint>> ClockRowVersions(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT clock_id, xmin::text::int8 FROM request_clocks WHERE request_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var rows = await command.ExecuteReaderAsync();
        var versions = new Dictionary<int, uint>();
        while (await rows.ReadAsync())
        {
            versions[rows.GetInt32(0)] = (uint)rows.GetInt64(1);
        }

        return versions;
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
