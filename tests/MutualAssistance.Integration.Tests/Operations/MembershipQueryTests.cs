using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MutualAssistance.Silo;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The membership queries of migrations 0021 and 0023 with the provider we pin (Orleans.Clustering.AdoNet 10.4.2): the
/// per-row cleanup the provider runs, the bulk cleanup it falls back on, both removing the same rows, and the guard that
/// keeps the last sign of life from moving backwards, in the heartbeat and in a member update.
/// </summary>
public sealed class MembershipQueryTests(DatabaseFixture database)
{
    private const string Cluster = "c";
    private const int Active = 3;
    private const int ShuttingDown = 4;
    private const int Dead = 6;

    [Fact]
    public async Task The_per_row_cleanup_deletes_a_member_only_while_it_is_dead_and_unchanged_since_the_provider_read_it()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("membership_per_row");
        await using var connection = await Open(connectionString);
        var (started, alive) = (DateTime.UtcNow.AddDays(-9), DateTime.UtcNow.AddDays(-8));
        var votes = ClusteringTests.Votes(alive);
        await Insert(connection, 10, Dead, started, alive, votes);         // unchanged: goes
        await Insert(connection, 20, ShuttingDown, started, alive, votes); // not Dead: stays
        await Insert(connection, 30, Dead, started, alive, votes);         // heartbeat written after the read: stays
        await Insert(connection, 40, Dead, started, alive, votes);         // a vote added after the read: stays
        await Insert(connection, 50, Dead, started, alive, "");            // no votes stored as '' and sent as NULL: goes
        await Insert(connection, 60, Dead, started, alive, votes);         // restarted (new start time) after the read: stays

        var text = await QueryText(connection, "CleanupDefunctSiloEntryKey");
        await Cleanup(10, started, alive, votes);
        await Cleanup(20, started, alive, votes);
        await Cleanup(30, started, alive.AddMinutes(-1), votes);
        await Cleanup(40, started, alive, ClusteringTests.Votes(alive.AddMinutes(-1)));
        await Cleanup(50, started, alive, null);
        await Cleanup(60, started.AddMinutes(-1), alive, votes);

        Assert.Equal([20, 30, 40, 60], await Ports(connection));

        // Captured values and key exactly as the provider binds them (RelationalOrleansQueries.CleanupDefunctSiloEntriesAsync).
        async Task Cleanup(int port, DateTime startTime, DateTime iAmAliveTime, string? suspectTimes)
        {
            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.AddWithValue("DeploymentId", Cluster);
            command.Parameters.AddWithValue("Address", "10.0.0.1");
            command.Parameters.AddWithValue("Port", port);
            command.Parameters.AddWithValue("Generation", 1);
            command.Parameters.AddWithValue("SuspectTimes", NpgsqlDbType.Text, (object?)suspectTimes ?? DBNull.Value);
            command.Parameters.AddWithValue("StartTime", startTime);
            command.Parameters.AddWithValue("IAmAliveTime", iAmAliveTime);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_provider_cleans_up_through_the_per_row_query_and_its_bulk_fallback_removes_the_same_members()
    {
        var cutOff = DateTime.UtcNow.AddDays(-7);
        var (stale, fresh) = (cutOff.AddHours(-1), DateTime.UtcNow.AddMinutes(-1));

        // With our catalogue the provider must not touch the bulk query: it is replaced by one that fails, so a
        // successful cleanup proves the per-row path. Without the per-row key the provider falls back on the bulk one.
        var perRow = await CleanedUp("membership_provider_row", "UPDATE orleansquery SET querytext = 'SELECT 1 / 0;' WHERE querykey = 'CleanupDefunctSiloEntriesKey'");
        var bulk = await CleanedUp("membership_provider_bulk", "DELETE FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntryKey'");

        // Removed: 60 (Dead, all old) and 72 (Dead, every vote old). Kept: every other status however stale, fresh
        // members, a Dead member restarted since (70) and one voted dead only recently (71).
        int[] expected = [10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 61, 70, 71];
        Assert.Equal(expected, perRow);
        Assert.Equal(expected, bulk);

        async Task<List<int>> CleanedUp(string name, string change)
        {
            var connectionString = await database.Server.CreateMigratedDatabaseAsync(name);
            await using var connection = await Open(connectionString);
            await using (var command = new NpgsqlCommand(change, connection))
            {
                Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
            }

            var table = await Provider(connectionString);
            foreach (var status in new[] { 1, 2, 3, 4, 5, 6 })
            {
                await Insert(connection, status * 10, status, stale, stale, null);
                await Insert(connection, (status * 10) + 1, status, fresh, fresh, null);
            }

            await Insert(connection, 70, Dead, fresh, stale, null);
            await Insert(connection, 71, Dead, stale, stale, ClusteringTests.Votes(stale, fresh));
            await Insert(connection, 72, Dead, stale, stale, ClusteringTests.Votes(stale.AddMinutes(-5), stale));

            await table.CleanupDefunctSiloEntriesAsync(cutOff, TestContext.Current.CancellationToken);
            return await Ports(connection);
        }
    }

    [Fact]
    public async Task A_heartbeat_never_moves_the_last_sign_of_life_backwards_nor_changes_the_table_version()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("membership_heartbeat");
        await using var connection = await Open(connectionString);
        var table = await Provider(connectionString);
        var alive = new DateTime(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        await Insert(connection, 10, 3, alive.AddHours(-1), alive, null);
        var version = await Scalar<int>(connection, "SELECT version FROM orleans_membership_version");

        // A heartbeat that arrives late, older than the stored one, is ignored; a newer one is taken.
        await table.UpdateIAmAliveAsync(Heartbeat(alive.AddSeconds(-30)), TestContext.Current.CancellationToken);
        Assert.Equal(alive, await AliveAt());
        await table.UpdateIAmAliveAsync(Heartbeat(alive.AddSeconds(30)), TestContext.Current.CancellationToken);
        Assert.Equal(alive.AddSeconds(30), await AliveAt());
        Assert.Equal(version, await Scalar<int>(connection, "SELECT version FROM orleans_membership_version"));

        static MembershipEntry Heartbeat(DateTime at) =>
            new() { SiloAddress = SiloAddress.New(IPAddress.Parse("10.0.0.1"), 10, 1), IAmAliveTime = at };

        async Task<DateTime> AliveAt() => await Scalar<DateTime>(connection, "SELECT iamalivetime FROM orleans_membership");
    }

    [Fact]
    public async Task An_update_built_from_a_read_taken_before_a_heartbeat_is_applied_but_keeps_the_later_heartbeat()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("membership_update");
        await using var connection = await Open(connectionString);
        var table = await Provider(connectionString);
        var cancellation = TestContext.Current.CancellationToken;
        var silo = SiloAddress.New(IPAddress.Parse("10.0.0.1"), 10, 1);
        var alive = new DateTime(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        await Insert(connection, 10, Active, alive.AddHours(-1), alive, null);

        // The runtime reads the row, the silo's heartbeat commits (it takes no lock and leaves the version alone), then
        // the update built from the read is written: a status change and a vote, with the IAmAliveTime of the read.
        var read = await table.ReadRowAsync(silo, cancellation);
        var (entry, etag) = read.Members.Single();
        Assert.Equal(alive, entry.IAmAliveTime);
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = silo, IAmAliveTime = alive.AddSeconds(30) }, cancellation);

        var votedAt = alive.AddSeconds(20);
        entry.Status = SiloStatus.ShuttingDown;
        entry.SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Parse("10.0.0.2"), 11111, 1), votedAt)];
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next(), cancellation));

        // The update is applied (status, votes, version) and the heartbeat is not undone.
        Assert.Equal(alive.AddSeconds(30), await AliveAt());
        Assert.Equal(ShuttingDown, await Scalar<int>(connection, "SELECT status FROM orleans_membership"));
        Assert.Equal(ClusteringTests.Votes(votedAt), await Scalar<string>(connection, "SELECT suspecttimes FROM orleans_membership"));
        Assert.Equal(read.Version.Version + 1, await Scalar<int>(connection, "SELECT version FROM orleans_membership_version"));

        // An update that sends a later time than the stored one still moves it forward.
        var reread = await table.ReadRowAsync(silo, cancellation);
        var (latest, latestEtag) = reread.Members.Single();
        latest.IAmAliveTime = alive.AddSeconds(60);
        Assert.True(await table.UpdateRowAsync(latest, latestEtag, reread.Version.Next(), cancellation));
        Assert.Equal(alive.AddSeconds(60), await AliveAt());

        async Task<DateTime> AliveAt() => await Scalar<DateTime>(connection, "SELECT iamalivetime FROM orleans_membership");
    }

    /// <summary>The pinned provider itself, on our catalogue, as the silo configures it (OrleansPostgres).</summary>
    private static async Task<AdoNetClusteringTable> Provider(string connectionString)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = Cluster, ServiceId = "s" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = OrleansPostgres.Invariant, ConnectionString = connectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, TestContext.Current.CancellationToken);
        return table;
    }

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var version = new NpgsqlCommand($"INSERT INTO orleans_membership_version (deploymentid) VALUES ('{Cluster}') ON CONFLICT DO NOTHING", connection);
        await version.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task Insert(NpgsqlConnection connection, int port, int status, DateTime startedAt, DateTime aliveAt, string? votes)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO orleans_membership (deploymentid, address, port, generation, siloname, hostname, status, proxyport, suspecttimes, starttime, iamalivetime)
            VALUES (@cluster, '10.0.0.1', @port, 1, 's', 'h', @status, 0, @votes, @started, @alive)
            """, connection);
        insert.Parameters.AddWithValue("cluster", Cluster);
        insert.Parameters.AddWithValue("port", port);
        insert.Parameters.AddWithValue("status", status);
        insert.Parameters.AddWithValue("votes", NpgsqlDbType.Text, (object?)votes ?? DBNull.Value);
        insert.Parameters.AddWithValue("started", startedAt);
        insert.Parameters.AddWithValue("alive", aliveAt);
        await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> QueryText(NpgsqlConnection connection, string key)
    {
        await using var read = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = @key", connection);
        read.Parameters.AddWithValue("key", key);
        return (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<int>> Ports(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT port FROM orleans_membership WHERE deploymentid = @cluster ORDER BY port", connection);
        command.Parameters.AddWithValue("cluster", Cluster);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ports = new List<int>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ports.Add(reader.GetInt32(0));
        }

        return ports;
    }
}
