using MutualAssistance.Contracts.Requests;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

public sealed class ClusteringTests(DatabaseFixture database)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Two_silos_form_one_cluster_and_the_survivor_serves_after_the_other_is_killed()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("clustering");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2);

        var members = await Members(connectionString);
        Assert.Equal(2, members.Count(m => m.Status == Active));
        Assert.Single(members.Select(m => m.ClusterId).Distinct());

        var id = Guid.NewGuid();
        await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).File(Requests.Sample(), Requests.Filer);

        var survivor = cluster.Silos[0];
        var victim = cluster.Silos[1];
        await cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);

        // The survivor declares the killed silo dead in the table; the request is served from storage.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<Member> after;
        do
        {
            after = await Members(connectionString);
            if (after.Any(m => m.Port == victim.SiloAddress.Endpoint.Port && m.Status == Dead))
            {
                break;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains(after, m => m.Port == victim.SiloAddress.Endpoint.Port && m.Status == Dead);
        Assert.Contains(after, m => m.Port == survivor.SiloAddress.Endpoint.Port && m.Status == Active);
        // The client may still address the killed silo once (it learns of the death from its gateway, not from the
        // table): such a call times out, and the next one reaches the survivor. Each try waits 5 s, not the 30 s
        // response timeout; the survivor must serve within a minute.
        var read = await MutualAssistance.Testing.Poll.Until(async () =>
        {
            try
            {
                return await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).Get(null).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or Orleans.Runtime.SiloUnavailableException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), "the request served by the survivor", TestContext.Current.CancellationToken);
        Assert.Equal(id, read.Id);
    }

    [Fact]
    public async Task The_bulk_cleanup_removes_only_dead_members_whose_start_heartbeat_and_votes_are_all_before_the_cut_off()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("membership_cleanup");
        var cutOff = DateTime.UtcNow.AddDays(-7);
        var (stale, fresh) = (cutOff.AddHours(-1), DateTime.UtcNow.AddMinutes(-1));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var setup = new NpgsqlCommand("INSERT INTO orleans_membership_version (deploymentid) VALUES ('c'), ('other')", connection))
        {
            await setup.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Port = status * 10, +1 when fresh: Created 1, Joining 2, Active 3, ShuttingDown 4, Stopping 5, Dead 6.
        foreach (var status in new[] { 1, 2, 3, 4, 5, 6 })
        {
            await Insert("c", status * 10, status, stale);
            await Insert("c", (status * 10) + 1, status, fresh);
        }

        // Dead members the provider's rule (every time before the cut-off) tells apart, votes as the provider writes them.
        await Insert("c", 70, Dead, stale, startedAt: fresh); // restarted since: stays
        await Insert("c", 71, Dead, stale, votes: Votes(stale, fresh)); // declared dead recently: stays
        await Insert("c", 72, Dead, stale, votes: Votes(stale.AddMinutes(-5), stale)); // every vote old: goes
        await Insert("c", 73, Dead, stale, votes: "10.0.0.2:11111@1,not a time"); // unreadable vote: stays
        await Insert("other", 60, Dead, stale);

        // The bulk query exactly as the provider runs it: the text from orleansquery, the provider's parameters.
        string text;
        await using (var read = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntriesKey'", connection))
        {
            text = (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        await using (var cleanup = new NpgsqlCommand(text, connection))
        {
            cleanup.Parameters.AddWithValue("DeploymentId", "c");
            cleanup.Parameters.AddWithValue("IAmAliveTime", cutOff);
            await cleanup.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Only the stale Dead members go (60 and 72); stale members of other statuses are left for the membership
        // protocol to vote dead first (migration 0021 says why; 0008 had removed 10, 20, 40 and 50 too).
        var left = await Members(connectionString);
        Assert.Equal([10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 61, 70, 71, 73], left.Where(m => m.ClusterId == "c").Select(m => m.Port).Order());
        Assert.Contains(left, m => m.ClusterId == "other" && m.Port == 60);

        async Task Insert(string cluster, int memberPort, int status, DateTime aliveAt, DateTime? startedAt = null, string? votes = null)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO orleans_membership (deploymentid, address, port, generation, siloname, hostname, status, proxyport, suspecttimes, starttime, iamalivetime)
                VALUES (@cluster, '10.0.0.1', @port, 1, 's', 'h', @status, 0, @votes, @started, @alive)
                """, connection);
            insert.Parameters.AddWithValue("cluster", cluster);
            insert.Parameters.AddWithValue("port", memberPort);
            insert.Parameters.AddWithValue("status", status);
            insert.Parameters.AddWithValue("votes", NpgsqlTypes.NpgsqlDbType.Text, (object?)votes ?? DBNull.Value);
            insert.Parameters.AddWithValue("started", startedAt ?? aliveAt);
            insert.Parameters.AddWithValue("alive", aliveAt);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Suspect votes as the provider stores them: "address,time" joined by '|' (Orleans' own formats).</summary>
    internal static string Votes(params DateTime[] times) =>
        string.Join('|', times.Select((time, i) =>
            Orleans.Runtime.SiloAddress.New(System.Net.IPAddress.Parse("10.0.0.2"), 11111 + i, 1).ToParsableString() + "," +
            Orleans.Runtime.LogFormatter.PrintDate(time)));

    private sealed record Member(string ClusterId, int Port, int Status);

    private static async Task<List<Member>> Members(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT deploymentid, port, status FROM orleans_membership", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<Member>();
        while (await reader.ReadAsync())
        {
            members.Add(new Member(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return members;
    }
}
