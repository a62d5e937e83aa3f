using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Federation;
using MutualAssistance.Sealing;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The keys under the sealed data, on real silos and a database of each test's own: a master-key rotation with
/// requests filed under the old version (interrupted and resumed, silos running on both versions meanwhile, the old
/// version then retired), and ciphertexts moved in the database to another request or field, which do not open.
/// </summary>
public sealed class SealingKeyTests(DatabaseFixture database)
{
    private static readonly Actor Filer = Requests.Filer;
    private static readonly Actor Handler = new() { Subject = "test-handler", Authority = "CN-MOJ", Role = Role.Handler };

    private static readonly Dictionary<string, string?> BothActive2 = new()
    {
        ["Sealing:MasterKeys:1:Version"] = "2",
        ["Sealing:MasterKeys:1:Key"] = SealingTestSettings.MasterKeyV2,
        ["Sealing:ActiveMasterKey"] = "2",
    };

    private static readonly Dictionary<string, string?> OnlyV2 = new()
    {
        ["Sealing:MasterKeys:0:Version"] = "2",
        ["Sealing:MasterKeys:0:Key"] = SealingTestSettings.MasterKeyV2,
        ["Sealing:ActiveMasterKey"] = "2",
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_master_key_rotation_rewraps_the_data_keys_resumably_and_the_old_version_can_then_be_retired()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("rotation");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var ids = new List<Guid>();
        await using (var silo = await Start(connectionString, null))
        {
            for (var i = 0; i < 6; i++)
            {
                ids.Add(await FileAndPause(silo, $"before rotation {i}"));
            }
        }

        // Two of them have a command waiting for a peer, sealed in a record of its own key under version 1.
        var commands = ExchangeStoreFor(dataSource, SealingKeys.Ring());
        var waiting = ids.Take(2).Select(id => (id, Command: new PeerCommand
        {
            Sequence = 1, BasedOn = 2, IssuedAt = DateTimeOffset.UtcNow, Actor = Filer,
            Action = new ActionCommand { Action = RequestAction.ProvideInformation, Reason = $"Statements for {id}" },
        })).ToList();
        foreach (var (id, command) in waiting)
        {
            await commands.AddCommand(id, "CN", command, Cancel);
        }

        // Version 2 added and made active; the rotation interrupted after one batch of two.
        var both = SealingKeys.Ring(Merged(BothActive2));
        var rotation = new MasterKeyRotation(dataSource, both);
        Assert.Equal(new SortedDictionary<int, long> { [1] = 6 }, new SortedDictionary<int, long>(await rotation.CountByVersionAsync(Cancel)));
        Assert.Equal(new SortedDictionary<int, long> { [1] = 2 }, new SortedDictionary<int, long>(await rotation.CountExchangeRecordsByVersionAsync(Cancel)));
        Assert.Equal(2, await rotation.RewrapBatchAsync(2, Cancel));
        Assert.Equal(new SortedDictionary<int, long> { [1] = 4, [2] = 2 }, new SortedDictionary<int, long>(await rotation.CountByVersionAsync(Cancel)));

        // Silos holding both versions open every request meanwhile, and seal new ones under version 2.
        await using (var silo = await Start(connectionString, BothActive2))
        {
            foreach (var id in ids)
            {
                await AssertOpens(silo, id);
            }

            ids.Add(await FileAndPause(silo, "during rotation"));
        }

        // Resumed: the four keys and two records left are rewrapped, nothing else is touched; a second run finds nothing to do.
        Assert.Equal(6, await rotation.RunAsync(TextWriter.Null, batchSize: 3, Cancel));
        Assert.Equal(new SortedDictionary<int, long> { [2] = 7 }, new SortedDictionary<int, long>(await rotation.CountByVersionAsync(Cancel)));
        Assert.Equal(new SortedDictionary<int, long> { [2] = 2 }, new SortedDictionary<int, long>(await rotation.CountExchangeRecordsByVersionAsync(Cancel)));
        Assert.Equal(0, await rotation.RunAsync(TextWriter.Null, cancellationToken: Cancel));

        // The waiting commands open under version 2 alone, as they were.
        var claimed = await ExchangeStoreFor(dataSource, SealingKeys.Ring(Merged(OnlyV2))).ClaimCommands(10, TimeSpan.FromMinutes(1), Cancel);
        Assert.Equal(
            waiting.Select(w => (w.id, w.Command.Action!.Reason)).OrderBy(w => w.id),
            claimed.Select(c => (c.RequestId, c.Command.Action!.Reason)).OrderBy(c => c.RequestId));

        // Version 1 retired: everything opens under version 2 alone.
        await using (var silo = await Start(connectionString, OnlyV2))
        {
            foreach (var id in ids)
            {
                await AssertOpens(silo, id);
            }
        }

        // A node that holds only the retired version opens nothing.
        await using (var silo = await Start(connectionString, null))
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => Grain(silo, ids[0]).Get(null));
            Assert.Contains("master key version 2, which this node does not hold", refused.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_erasure_empties_what_the_exchange_keeps_of_the_request_and_decides_a_command_still_waiting()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("erased_exchange");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var silo = await Start(connectionString, null);
        var id = await FileAndPause(silo, "erased with a command waiting");
        Assert.Equal(ActionOutcome.Applied, (await Grain(silo, id).Act(new ActionCommand { Action = RequestAction.Withdraw, Reason = "No longer needed" }, Filer)).Outcome);
        var store = ExchangeStoreFor(dataSource, SealingKeys.Ring());
        await store.AddCommand(id, "CN", new PeerCommand
        {
            Sequence = 1, BasedOn = 3, IssuedAt = DateTimeOffset.UtcNow, Actor = Filer,
            Action = new ActionCommand { Action = RequestAction.ProvideInformation, Reason = "Statements" },
        }, Cancel);

        var admin = new Actor { Subject = "test-admin", Authority = "KZ-GP", Role = Role.Admin };
        Assert.Equal(ActionOutcome.Applied, (await Grain(silo, id).Erase(admin)).Outcome);
        await using var command = dataSource.CreateCommand("SELECT length(command), outcome, decided_at IS NOT NULL FROM exchange_commands WHERE request_id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var row = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await row.ReadAsync(Cancel));
        Assert.Equal((0, "not-allowed-in-status", true), (row.GetInt32(0), row.GetString(1), row.GetBoolean(2)));
        Assert.Empty(await store.ClaimCommands(10, TimeSpan.FromMinutes(1), Cancel)); // nothing left to send
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_request_or_field_does_not_open()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("swapped");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Guid a, b, c, d;
        await using (var silo = await Start(connectionString, null))
        {
            a = await FileAndPause(silo, "a");
            b = await FileAndPause(silo, "b");
            c = await FileAndPause(silo, "c");
            d = await FileAndPause(silo, "d");
            var resumed = await Grain(silo, d).Act(new ActionCommand { Action = RequestAction.ProvideInformation, Reason = "The statement, attached" }, Filer);
            Assert.Equal(ActionOutcome.Applied, resumed.Outcome);
        }

        // a: its state sealed as b's. b: its reason of event 2 taken from c. c: its wrapped data key from a.
        // d: its reason of event 2 moved to event 3 (the same request, another field).
        await Execute(dataSource, "UPDATE request_state SET payload = (SELECT payload FROM request_state WHERE request_id = @b) WHERE request_id = @a", a, b);
        await Execute(dataSource, "UPDATE request_events SET reason = (SELECT reason FROM request_events WHERE request_id = @b AND sequence = 2) WHERE request_id = @a AND sequence = 2", b, c);
        await Execute(dataSource, "UPDATE request_keys SET wrapped = (SELECT wrapped FROM request_keys WHERE request_id = @b) WHERE request_id = @a", c, a);
        await Execute(dataSource, "UPDATE request_events SET reason = (SELECT reason FROM request_events WHERE request_id = @b AND sequence = 2) WHERE request_id = @a AND sequence = 3", d, d);

        await using (var silo = await Start(connectionString, null))
        {
            Assert.Contains("does not open", (await Assert.ThrowsAnyAsync<Exception>(() => Grain(silo, a).Get(null))).ToString(), StringComparison.Ordinal);
            Assert.NotNull(await Grain(silo, b).Get(null)); // its state is its own...
            Assert.Contains("does not open", (await Assert.ThrowsAnyAsync<Exception>(() => Grain(silo, b).GetHistory(0, 100))).ToString(), StringComparison.Ordinal);
            Assert.Contains("does not open", (await Assert.ThrowsAnyAsync<Exception>(() => Grain(silo, c).Get(null))).ToString(), StringComparison.Ordinal);
            Assert.Contains("does not open", (await Assert.ThrowsAnyAsync<Exception>(() => Grain(silo, d).GetHistory(0, 100))).ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_exchange_record_opens_only_as_the_request_and_field_it_was_sealed_for_and_one_from_before_sealing_reads_as_it_is()
    {
        var ring = SealingKeys.Ring();
        var id = Guid.NewGuid();
        var json = """{"kind":"provide-information","note":"Attached"}""";
        var record = SealedExchangeRecord.Seal(ring, id, SealedExchangeRecord.CommandField(3), json);
        Assert.DoesNotContain("Attached", System.Text.Encoding.UTF8.GetString(record), StringComparison.Ordinal);
        Assert.Equal(json, SealedExchangeRecord.Open(ring, id, SealedExchangeRecord.CommandField(3), record));
        Assert.Throws<SealedDataException>(() => SealedExchangeRecord.Open(ring, id, SealedExchangeRecord.CommandField(4), record));
        Assert.Throws<SealedDataException>(() => SealedExchangeRecord.Open(ring, id, SealedExchangeRecord.HeldField(3), record));
        Assert.Throws<SealedDataException>(() => SealedExchangeRecord.Open(ring, Guid.NewGuid(), SealedExchangeRecord.CommandField(3), record));
        Assert.Throws<SealedDataException>(() => SealedExchangeRecord.Open(ring, id, SealedExchangeRecord.CommandField(3), record[..^1]));
        Assert.Equal(json, SealedExchangeRecord.Open(ring, id, SealedExchangeRecord.CommandField(3), System.Text.Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>The exchange's store on a database, for its sealed records alone (no request store, one node serving all).</summary>
    private static PostgresExchangeStore ExchangeStoreFor(NpgsqlDataSource dataSource, IKeyWrapping wrapping) =>
        new(dataSource, null!, NodeMap.Alone("ALL"), wrapping);

    private static Dictionary<string, string?> Merged(IReadOnlyDictionary<string, string?> over) =>
        new(SealingTestSettings.Keys.Concat(over).GroupBy(p => p.Key).Select(g => g.Last()));

    private static Task<InProcessSilo> Start(string connectionString, IReadOnlyDictionary<string, string?>? sealing) =>
        InProcessSilo.StartAsync(connectionString, "keys-" + Guid.NewGuid().ToString("N")[..8], settings: sealing);

    private static IAssistanceRequestGrain Grain(InProcessSilo silo, Guid id) =>
        ((IGrainFactory)silo.Services.GetService(typeof(IGrainFactory))!).GetGrain<IAssistanceRequestGrain>(id);

    /// <summary>Files a request and has the handler ask for information (a sealed reason in its history, event 2).</summary>
    private static async Task<Guid> FileAndPause(InProcessSilo silo, string subject)
    {
        var id = Guid.NewGuid();
        Assert.NotNull((await Grain(silo, id).File(Requests.Sample(subject), Filer)).Request);
        var asked = await Grain(silo, id).Act(new ActionCommand { Action = RequestAction.RequestInformation, Reason = $"Statements of {subject}" }, Handler);
        Assert.Equal(ActionOutcome.Applied, asked.Outcome);
        return id;
    }

    private static async Task AssertOpens(InProcessSilo silo, Guid id)
    {
        var view = await Grain(silo, id).Get(null);
        Assert.Equal("Transfers between March and May 2026 through three accounts.", view!.SummaryOfFacts);
        var history = await Grain(silo, id).GetHistory(0, 100);
        Assert.StartsWith("Statements of ", history.Items.Single(e => e.Sequence == 2).Reason, StringComparison.Ordinal);
        Assert.True((await Grain(silo, id).VerifyHistory()).Intact);
    }

    /// <summary>Runs <paramref name="sql"/> as the database's superuser would, past the append-only triggers.</summary>
    private static async Task Execute(NpgsqlDataSource dataSource, string sql, Guid a, Guid b)
    {
        await using var connection = await dataSource.OpenConnectionAsync(Cancel);
        await using (var bypass = new NpgsqlCommand("SET session_replication_role = replica", connection))
        {
            await bypass.ExecuteNonQueryAsync(Cancel);
        }

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("a", a);
        command.Parameters.AddWithValue("b", b);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
    }
}
