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
