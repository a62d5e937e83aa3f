using MutualAssistance.Testing;
using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Notifications;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Notifications;
using MutualAssistance.ReadSide.Writing;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// History written by the release before typed payloads (migration 0022): its rows have text only. After the change
/// the chain still verifies, the notifier still reads an escalation's level from such rows, and the next event is
/// kept with its payload and links to them.
/// </summary>
public sealed class HistoryPayloadTests(DatabaseFixture database)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    [Fact]
    public async Task Rows_written_without_payloads_verify_notify_their_escalations_and_are_followed_by_typed_ones()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("payloads");
        var data = ReferenceDataFiles.Load(TestReferenceData.Folder);
        await using var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(AssistanceRequest).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<AssistanceRequest>>();

        // Filed 100 days ago, acknowledged, then left: the decision clock breached and escalated to level 3.
        var now = DateTimeOffset.UtcNow;
        var request = AssistanceRequest.File(Guid.NewGuid(), Requests.Sample("payloads"), Filer, now.AddDays(-100), data);
        request = request.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, now.AddDays(-100).AddMinutes(1), data).Request;
        request = request.Evaluate(now, data).Request;
        Assert.Contains(request.NewEvents, e => e.Event == "escalation");

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await WriteAsTheReleaseBefore(dataSource, serializer, request, Projections.Of(request, data));
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM request_events WHERE payload IS NOT NULL"));

        // The notifier's read of the queue: levels from the text of rows without a payload, in the one place.
        var levels = await QueuedLevels(dataSource, request.Id);
        Assert.Equal([0, 1, 2, 3], levels.Where(l => l is not null));

        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: false);
        var grain = cluster.Client.GetGrain<IAssistanceRequestGrain>(request.Id);
        var before = await grain.History();
        Assert.Equal(request.NewEvents.Select(e => (e.Sequence, e.Event, e.Hash)), before.Select(e => (e.Sequence, e.Event, e.Hash)));
        Assert.True((await grain.VerifyHistory()).Intact);

        // The next event: kept with its payload, linked to the rows before it, the whole chain verifies.
        var accepted = await grain.Act(new ActionCommand { Action = RequestAction.Accept }, Handler);
        Assert.Equal(ActionOutcome.Applied, accepted.Outcome);
        var after = await grain.History();
        Assert.Equal(before[^1].Hash, after[before.Length].PreviousHash);
        Assert.True((await grain.VerifyHistory()).Intact);
        var stored = await Scalar<string>(dataSource, $"SELECT payload::text FROM request_events WHERE request_id = '{request.Id}' AND sequence = {before.Length + 1}");
        Assert.Equal(new ActionTaken { Action = RequestAction.Accept }, HistoryEventJson.Read(stored));

        // A payload changed in the database behind the chain's back (trigger bypassed) is caught.
        await Execute(dataSource, $"""
            SET session_replication_role = replica;
            UPDATE request_events SET payload = '{HistoryEventJson.Write(new ActionTaken { Action = RequestAction.Refuse })}'
             WHERE request_id = '{request.Id}' AND sequence = {before.Length + 1};
            """);
        var verdict = await grain.VerifyHistory();
        Assert.False(verdict.Intact);
        Assert.Equal(before.Length + 1, verdict.BrokenAt);
    }

    /// <summary>A commit as the release before 0022 made it: request_commit without payloads (its signature is kept).</summary>
    private static async Task WriteAsTheReleaseBefore(NpgsqlDataSource dataSource, Serializer<AssistanceRequest> serializer, AssistanceRequest request, RequestProjection projection)
    {
        var events = request.NewEvents;
        await using var command = dataSource.CreateCommand(
            "SELECT request_commit(@id, NULL, @version, @payload, @sequence, @at, @ticks, @event, @subject, @authority, @role, @reason, " +
            "@before, @after, @changes, @previous, @hash, @projection, NULL, NULL)");
        command.Parameters.AddWithValue("id", request.Id);
        command.Parameters.AddWithValue("version", request.Version);
        command.Parameters.AddWithValue("payload", serializer.SerializeToArray(request.Stored()));
        command.Parameters.AddWithValue("sequence", events.Select(e => e.Sequence).ToArray());
        command.Parameters.AddWithValue("at", events.Select(e => e.At).ToArray());
        command.Parameters.AddWithValue("ticks", events.Select(e => e.At.UtcTicks).ToArray());
        command.Parameters.AddWithValue("event", events.Select(e => e.Event).ToArray());
        command.Parameters.AddWithValue("subject", events.Select(e => e.Actor?.Subject).ToArray());
        command.Parameters.AddWithValue("authority", events.Select(e => e.Actor?.Authority).ToArray());
        command.Parameters.AddWithValue("role", events.Select(e => e.Actor is { } actor ? WireNames.Of(actor.Role) : null).ToArray());
        Assert.All(events, e => Assert.Null(e.Reason)); // nothing here to seal
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(_ => (string?)null).ToArray() });
        command.Parameters.AddWithValue("before", events.Select(e => e.StatusBefore is { } status ? WireNames.Of(status) : null).ToArray());
        command.Parameters.AddWithValue("after", events.Select(e => WireNames.Of(e.StatusAfter)).ToArray());
        command.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = events.Select(e => JsonSerializer.Serialize(e.ClockChanges.IsDefault ? [] : e.ClockChanges)).ToArray(),
        });
        command.Parameters.AddWithValue("previous", events.Select(e => e.PreviousHash).ToArray());
        command.Parameters.AddWithValue("hash", events.Select(e => e.Hash).ToArray());
        command.Parameters.Add(new NpgsqlParameter("projection", NpgsqlDbType.Jsonb) { Value = ProjectionJson.One(projection) });
        Assert.True(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) is true);
    }

    /// <summary>The levels the notifier reads from the queued events of <paramref name="id"/>, in order (the queue left as it was).</summary>
    private static async Task<ImmutableArray<int?>> QueuedLevels(NpgsqlDataSource dataSource, Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var taken = await NotificationQueue.Take(connection, transaction, 100, TestContext.Current.CancellationToken);
        return [.. taken.Where(e => e.RequestId == id).OrderBy(e => e.Sequence).Select(e => NotificationRule.LevelOf(HistoryEventJson.Of(e.Payload, e.Event, e.ClockChanges)))];
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
