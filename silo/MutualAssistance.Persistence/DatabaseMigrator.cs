using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Npgsql;

namespace MutualAssistance.Persistence;

/// <summary>
/// Applies the embedded SQL scripts under Migrations in name order, each once (journal table
/// <c>schemaversions</c>), each in its own transaction. Concurrent runs wait for each other on an advisory lock.
/// </summary>
public static class DatabaseMigrator
{
    private const long AdvisoryLockKey = 0x4D41_4D49_4752; // "MAMIGR"

    public static bool Migrate(string connectionString, TextWriter output)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new TextLog(output));

        using var lockConnection = new NpgsqlConnection(connectionString);
        lockConnection.Open();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", lockConnection))
        {
            take.ExecuteNonQuery();
        }

        var renamed = JournalNames.MapOlderNames(lockConnection);
        if (renamed > 0)
        {
            output.WriteLine($"The journal's {renamed} entries of older releases now carry the scripts' present names.");
        }

        var result = Upgrader(connectionString, new TextLog(output)).PerformUpgrade();
        if (!result.Successful)
        {
            output.WriteLine($"Migration failed in {result.ErrorScript?.Name}: {result.Error.Message}");
            return false;
        }

        output.WriteLine(result.Scripts.Any()
            ? $"Applied {result.Scripts.Count()} migration(s); the schema is current."
            : "No migration to apply; the schema is current.");
        return true;
    }

    /// <summary>The scripts this build carries that the database has not run yet.</summary>
    public static IReadOnlyList<string> Pending(string connectionString) =>
        Upgrader(connectionString, new NoOpUpgradeLog()).GetScriptsToExecute().Select(s => s.Name).ToList();

    public static void EnsureUpToDate(string connectionString)
    {
        var pending = Pending(connectionString);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is behind: {pending.Count} migration(s) pending, first {pending[0]}. " +
                "Apply them with: dotnet run --project silo/MutualAssistance.Silo -- migrate");
        }

        using var dataSource = NpgsqlDataSource.Create(connectionString);
        var legacy = LegacyRequestStates.Pending(dataSource);
        if (legacy > 0)
        {
            throw new InvalidOperationException(
                $"{legacy} request state(s) written by the previous release (history inside the grain state) await carrying over. " +
                "Run: dotnet run --project silo/MutualAssistance.Silo -- migrate");
        }
    }

    private static UpgradeEngine Upgrader(string connectionString, IUpgradeLog log) =>
        DeployChanges.To.PostgresqlDatabase(connectionString)
            // One sequence, Migrations/NNNN_name.sql, applied by name.
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(JournalNames.Prefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(log)
            .Build();

    private sealed class TextLog(TextWriter output) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }

        public void LogDebug(string format, params object[] args) { }

        public void LogInformation(string format, params object[] args) => output.WriteLine(format, args);

        public void LogWarning(string format, params object[] args) => output.WriteLine("warning: " + format, args);

        public void LogError(string format, params object[] args) => output.WriteLine("error: " + format, args);

        public void LogError(Exception ex, string format, params object[] args) => output.WriteLine("error: " + format + " " + ex.Message, args);
    }
}
