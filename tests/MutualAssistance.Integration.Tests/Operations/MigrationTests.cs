using System.Globalization;
using MutualAssistance.Persistence;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

public sealed class MigrationTests(DatabaseFixture database)
{
    [Fact]
    public async Task Applying_the_migrations_twice_changes_nothing_the_second_time()
    {
        var connectionString = await database.Server.CreateDatabaseAsync("migrate_twice");

        var first = new StringWriter(CultureInfo.InvariantCulture);
        Assert.True(DatabaseMigrator.Migrate(connectionString, first), first.ToString());
        var afterFirst = await SchemaFingerprint(connectionString);
        Assert.Empty(DatabaseMigrator.Pending(connectionString));

        var second = new StringWriter(CultureInfo.InvariantCulture);
        Assert.True(DatabaseMigrator.Migrate(connectionString, second), second.ToString());
        Assert.Contains("No migration to apply", second.ToString(), StringComparison.Ordinal);
        Assert.Equal(afterFirst, await SchemaFingerprint(connectionString));
    }

    [Fact]
    public async Task A_fresh_database_has_every_script_pending_and_the_query_keys_after_migrating()
    {
        var connectionString = await database.Server.CreateDatabaseAsync("migrate_fresh");
        Assert.Equal(4, DatabaseMigrator.Pending(connectionString).Count(name => name.Contains("orleans", StringComparison.Ordinal)));
        Assert.Contains(DatabaseMigrator.Pending(connectionString), name => name.Contains("read_model", StringComparison.Ordinal));

        Assert.True(DatabaseMigrator.Migrate(connectionString, TextWriter.Null));

        var keys = await QueryKeys(connectionString);
        string[] required =
        [
            "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
            "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
            "CleanupDefunctSiloEntriesKey", "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
            "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
            "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        Assert.All(required, key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task A_silo_refuses_a_database_whose_schema_is_behind()
    {
        var connectionString = await database.Server.CreateDatabaseAsync("migrate_behind");
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseMigrator.EnsureUpToDate(connectionString));
        Assert.Contains("-- migrate", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The scripts as the release before the one sequence (1dfc28c) named them in the journal: the silo's prefix, the
    /// read side's scripts embedded under it, two files numbered 0010.
    /// </summary>
    private static readonly string[] OlderReleaseJournal =
    [
        "0001_orleans_query_table.sql", "0002_orleans_clustering.sql", "0003_orleans_persistence.sql", "0004_orleans_reminders.sql",
        "0005_read_model.sql", "0006_deadline_board.sql", "0007_lighter_read_model_writes.sql", "0008_membership_cleanup.sql",
        "0009_calendar_closures.sql", "0010_read_model_versions.sql", "0010_request_events.sql", "0011_exchange.sql",
        "0012_sealing.sql", "0013_audit_log.sql", "0014_retention.sql", "0015_retention_candidates.sql",
        "0016_exchange_sealed.sql", "0017_webhooks.sql", "0018_email.sql", "0019_audit_aggregates.sql",
    ];

    [Fact]
    public async Task A_database_made_by_the_release_before_the_one_sequence_is_carried_over_without_running_a_script_twice()
    {
        // Made as that release made it: its scripts (unchanged since; found here by their names without the number),
        // in its order, recorded under its names.
        var older = await database.Server.CreateDatabaseAsync("migrate_older_names");
        var assembly = typeof(DatabaseMigrator).Assembly;
        var present = assembly.GetManifestResourceNames().Where(n => n.StartsWith(JournalNames.Prefix, StringComparison.Ordinal)).ToList();
        var now = OlderReleaseJournal.ToDictionary(file => file, file => present.Single(n => n.EndsWith(file[4..], StringComparison.Ordinal)));
        var scripts = OlderReleaseJournal.Select(file =>
        {
            var resource = now[file];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            return new DbUp.Engine.SqlScript("MutualAssistance.Silo.Database.Migrations." + file, reader.ReadToEnd());
        }).ToList();
        var made = DbUp.DeployChanges.To.PostgresqlDatabase(older).WithScripts(scripts).WithTransactionPerScript().LogToNowhere().Build().PerformUpgrade();
        Assert.True(made.Successful, made.Error?.Message);

        var output = new StringWriter(CultureInfo.InvariantCulture);
        Assert.True(DatabaseMigrator.Migrate(older, output), output.ToString());

        Assert.Contains($"journal's {OlderReleaseJournal.Length} entries of older releases", output.ToString(), StringComparison.Ordinal);
        var ranAgain = now.Values.Where(name => output.ToString().Contains(name, StringComparison.Ordinal));
        Assert.Empty(ranAgain);
        Assert.Empty(DatabaseMigrator.Pending(older));

        var fresh = await database.Server.CreateDatabaseAsync("migrate_fresh_beside_older");
        Assert.True(DatabaseMigrator.Migrate(fresh, TextWriter.Null));
        Assert.Equal(await SchemaFingerprint(fresh), await SchemaFingerprint(older));

        var again = new StringWriter(CultureInfo.InvariantCulture);
        Assert.True(DatabaseMigrator.Migrate(older, again), again.ToString());
        Assert.DoesNotContain("older releases", again.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HashSet<string>> QueryKeys(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Everything a migration could change: tables and columns, functions and their bodies, query texts, the journal.</summary>
    private static async Task<string> SchemaFingerprint(string connectionString)
    {
        const string sql = """
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
              SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line
                FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL
              SELECT 'function ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
              UNION ALL
              SELECT 'index ' || indexname || ' ' || md5(indexdef) FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL
              SELECT 'query ' || querykey || ' ' || md5(querytext) FROM orleansquery
              UNION ALL
              SELECT 'journal ' || count(*)::text FROM schemaversions
            ) lines
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
