using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Grains;
using MutualAssistance.Grains.ReadModel;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Requests;
using MutualAssistance.Silo.ReadModel;
using Npgsql;
using Orleans.Storage;

namespace MutualAssistance.Integration.Tests;

/// <summary>The read model kept by the grains' outbox, repaired after a crash, swept for overdue events, rebuilt from storage.</summary>
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
        await grain.File(Requests.Sample() with { LegalBasis = LegalBasis.Eio, ReceivedAt = null }, Filer);
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
        await Task.WhenAll(grains.Select(g => g.File(Requests.Sample() with { LegalBasis = LegalBasis.Eio, ReceivedAt = null }, Filer)));

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
        var writer = Silo.GetRequiredService<PostgresReadModel>();
        var data = Silo.GetRequiredService<CurrentReferenceData>().Set;
        var id = Guid.NewGuid();
        var v1 = AssistanceRequest.File(id, Requests.Sample(), Requests.Filer, PostgresTestCluster.DeadlineClock.GetUtcNow(), data);
        var v2 = v1.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, PostgresTestCluster.DeadlineClock.GetUtcNow(), data).Request;

        Assert.Equal(1, await writer.WriteAsync([RequestProjection.Of(v2, data)], CancellationToken.None));
        Assert.Equal(0, await writer.WriteAsync([RequestProjection.Of(v1, data)], CancellationToken.None));
        Assert.Equal(0, await writer.WriteAsync([RequestProjection.Of(v2, data)], CancellationToken.None));

        var row = await Summary(id);
        Assert.Equal(v2.Version, row.Version);
        Assert.Equal("acknowledged", row.Status);
    }

    [Fact]
    public async Task Only_clocks_that_changed_are_rewritten_and_clocks_gone_are_removed()
    {
        var writer = Silo.GetRequiredService<PostgresReadModel>();
        var data = Silo.GetRequiredService<CurrentReferenceData>().Set;
        var now = PostgresTestCluster.DeadlineClock.GetUtcNow();
        var filed = AssistanceRequest.File(Guid.NewGuid(), Requests.Sample() with { LegalBasis = LegalBasis.Eio }, Requests.Filer, now, data);
        var v1 = RequestProjection.Of(filed, data);
        await writer.WriteAsync([v1], CancellationToken.None);
        var written = await ClockRowVersions(filed.Id);

        // A change that moves no clock (the next version, same clocks): the summary moves, no clock row is written.
        await writer.WriteAsync([v1 with { Version = 2, Status = RequestStatus.Acknowledged }], CancellationToken.None);
        Assert.Equal(2, (await Summary(filed.Id)).Version);
        Assert.Equal(written, await ClockRowVersions(filed.Id));

        // One clock stops: that row alone is rewritten, with its new state.
        var acknowledged = filed.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, now, data).Request;
        var v3 = RequestProjection.Of(acknowledged, data) with { Version = 3 };
        await writer.WriteAsync([v3], CancellationToken.None);
        var rewritten = await ClockRowVersions(filed.Id);
        var changed = v3.Clocks.Where(c => !v1.Clocks.Contains(c)).Select(c => c.ClockId).ToHashSet();
        Assert.NotEmpty(changed);
        Assert.All(written, row => Assert.Equal(changed.Contains(row.Key), rewritten[row.Key] != row.Value));
        Assert.Equal(v3.Clocks.Select(c => (c.ClockId, c.State.ToString().ToLowerInvariant())).OrderBy(c => c.ClockId), (await Summary(filed.Id)).Clocks.Select(c => (c.Id, c.State)));

        // A projection without a clock the model holds removes that row.
        await writer.WriteAsync([v3 with { Version = 4, Clocks = [v3.Clocks[0]] }], CancellationToken.None);
        Assert.Equal([v3.Clocks[0].ClockId], (await Summary(filed.Id)).Clocks.Select(c => c.Id));
    }

    [Fact]
    public async Task A_crash_between_the_state_write_and_the_model_write_is_repaired_on_the_next_activation()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var filed = await grain.File(Requests.Sample(), Filer);
        await fixture.Cluster.DeactivateAsync(grain);

        // What a grain that died right after its state write leaves behind: a newer state and its pending update.
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Requests);
        var data = Silo.GetRequiredService<CurrentReferenceData>().Set;
        var stored = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grain.GetGrainId(), stored);
        var acknowledged = stored.State!.Request!.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, PostgresTestCluster.DeadlineClock.GetUtcNow(), data).Request;
        stored.State.Request = acknowledged;
        stored.State.Outbox = RequestProjection.Of(acknowledged, data);
        await storage.WriteStateAsync("request", grain.GetGrainId(), stored);
        Assert.Equal(filed.Request!.Version, (await Summary(filed.Request!.Id)).Version);

        await grain.Get(null);

        var row = await Summary(filed.Request.Id);
        Assert.Equal(acknowledged.Version, row.Version);
        Assert.Equal("acknowledged", row.Status);
    }

    [Fact]
    public async Task Altered_stored_history_is_caught_by_the_verification_call()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample(), Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        await grain.Act(new ActionCommand { Action = RequestAction.Refuse, Grounds = "dual criminality" }, Handler);
        Assert.True((await grain.VerifyHistory()).Intact);
        await fixture.Cluster.DeactivateAsync(grain);

        // Someone with database access rewrites the grounds of the refusal, keeping everything else.
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Requests);
        var stored = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grain.GetGrainId(), stored);
        var history = stored.State!.Request!.History;
        stored.State.Request = stored.State.Request with { History = history.SetItem(2, history[2] with { Reason = "no grounds given" }) };
        await storage.WriteStateAsync("request", grain.GetGrainId(), stored);

        var verdict = await grain.VerifyHistory();
        Assert.False(verdict.Intact);
        Assert.Equal(3, verdict.BrokenAt);
    }

    [Fact]
    public async Task The_sweep_wakes_a_request_whose_reminder_was_removed_behind_its_back()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Requests.Sample() with { LegalBasis = LegalBasis.Eio, ReceivedAt = null }, Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        var due = (await grain.Get(null))!.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt!.Value;
        await fixture.Cluster.DeactivateAsync(grain);
        await Execute($"DELETE FROM orleans_reminders WHERE grainid = '{grain.GetGrainId()}'");

        PostgresTestCluster.DeadlineClock.SetUtcNow(due + TimeSpan.FromMinutes(5));
        var woken = await Silo.GetRequiredService<DeadlineSweep>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.True(woken >= 1);
        var history = await grain.GetHistory();
        Assert.Single(history, e => e.Event == "breach");
        var row = await Summary(grain.GetPrimaryKey());
        Assert.Equal(1, row.EscalationLevel);
        Assert.True(row.NextEventAt > PostgresTestCluster.DeadlineClock.GetUtcNow(), "the next event moved past now");

        // Sweeping again (other tests' requests may still be due in this shared database) records nothing more here.
        await Silo.GetRequiredService<DeadlineSweep>().RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Single(await grain.GetHistory(), e => e.Event == "breach");
    }

    [Fact]
    public async Task The_model_is_rebuilt_from_stored_state()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var filed = await grain.File(Requests.Sample(), Filer);
        await grain.Act(new ActionCommand { Action = RequestAction.Forward, ForwardedTo = "Shanghai procuratorate" }, Handler);
        var before = await Summary(filed.Request!.Id);
        await Execute("DELETE FROM request_summaries");

        var rebuilt = await ReadModelRebuild.RunAsync(fixture.ConnectionString, "mutual-assistance-tests-unused", "ReferenceData", TextWriter.Null, TestContext.Current.CancellationToken);
        Assert.Equal(0, rebuilt);

        var serviceId = fixture.Cluster.Options.ServiceId;
        rebuilt = await ReadModelRebuild.RunAsync(fixture.ConnectionString, serviceId, "ReferenceData", TextWriter.Null, TestContext.Current.CancellationToken);
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

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
