using Npgsql;

namespace MutualAssistance.Integration.Tests;

public sealed class ReminderTests(DatabaseFixture database)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_reminder_stored_in_our_schema_fires()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("reminders");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true);
        var id = Guid.NewGuid();

        await cluster.Client.GetGrain<IReminderProbeGrain>(id).Register(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.Equal(1, await ReminderRows(connectionString, id));
        await ReminderProbeGrain.FirstTick(id).WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_reminder_registered_before_a_silo_restart_fires_after_it()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("reminders_restart");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true);
        var id = Guid.NewGuid();
        await cluster.Client.GetGrain<IReminderProbeGrain>(id).Register(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10));

        // The only silo goes away before the reminder is due and a new one, with nothing in memory, takes over.
        var original = cluster.Silos[0];
        var replacement = await cluster.StartAdditionalSiloAsync(startAdditionalSiloOnNewPort: true);
        await cluster.StopSiloAsync(original, TestContext.Current.CancellationToken);
        Assert.False(ReminderProbeGrain.FirstTick(id).IsCompleted, "The reminder fired before the restart; the test proves nothing.");

        await ReminderProbeGrain.FirstTick(id).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Single(cluster.GetActiveSilos(), silo => silo.SiloAddress == replacement.SiloAddress);
    }

    private static async Task<long> ReminderRows(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_reminders WHERE grainid LIKE '%' || @key || '%'", connection);
        command.Parameters.AddWithValue("key", id.ToString("N"));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
