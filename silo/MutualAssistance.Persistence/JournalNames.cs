using System.Collections.Frozen;
using Npgsql;

namespace MutualAssistance.Persistence;

/// <summary>
/// The names the migration journal (DbUp's <c>schemaversions</c>) knows each script by. Until the house issue the
/// scripts lived in two projects (the silo's Database/Migrations and the read side's Schema, embedded under the
/// silo's name) with two files numbered 0010; they are now one folder, one numbered sequence. A database made by an
/// older release records the old names, so before the journal is read they are mapped, once, to the present names
/// (the scripts themselves are unchanged): nothing is applied twice and nothing is skipped.
/// </summary>
public static class JournalNames
{
    /// <summary>The embedded name every migration of this build carries before its file name.</summary>
    public const string Prefix = "MutualAssistance.Persistence.Migrations.";

    private const string OlderPrefix = "MutualAssistance.Silo.Database.Migrations.";

    /// <summary>Each older release's file name and the file it is now (same script, new place in the sequence).</summary>
    public static readonly FrozenDictionary<string, string> OlderFiles = new Dictionary<string, string>
    {
        ["0001_orleans_query_table.sql"] = "0001_orleans_query_table.sql",
        ["0002_orleans_clustering.sql"] = "0002_orleans_clustering.sql",
        ["0003_orleans_persistence.sql"] = "0003_orleans_persistence.sql",
        ["0004_orleans_reminders.sql"] = "0004_orleans_reminders.sql",
        ["0005_read_model.sql"] = "0005_read_model.sql",
        ["0006_deadline_board.sql"] = "0006_deadline_board.sql",
        ["0007_lighter_read_model_writes.sql"] = "0007_lighter_read_model_writes.sql",
        ["0008_membership_cleanup.sql"] = "0008_membership_cleanup.sql",
        ["0009_calendar_closures.sql"] = "0009_calendar_closures.sql",
        ["0010_read_model_versions.sql"] = "0010_read_model_versions.sql",
        ["0010_request_events.sql"] = "0011_request_events.sql",
        ["0011_exchange.sql"] = "0012_exchange.sql",
        ["0012_sealing.sql"] = "0013_sealing.sql",
        ["0013_audit_log.sql"] = "0014_audit_log.sql",
        ["0014_retention.sql"] = "0015_retention.sql",
        ["0015_retention_candidates.sql"] = "0016_retention_candidates.sql",
        ["0016_exchange_sealed.sql"] = "0017_exchange_sealed.sql",
        ["0017_webhooks.sql"] = "0018_webhooks.sql",
        ["0018_email.sql"] = "0019_email.sql",
        ["0019_audit_aggregates.sql"] = "0020_audit_aggregates.sql",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Renames the journal's entries of older releases to the present names, in one transaction; returns how many
    /// were renamed (0 on a database already mapped, or new). Call it under the migrator's advisory lock.
    /// </summary>
    public static int MapOlderNames(NpgsqlConnection connection)
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass('schemaversions') IS NOT NULL", connection);
        if (exists.ExecuteScalar() is not true)
        {
            return 0;
        }

        using var transaction = connection.BeginTransaction();
        using var rename = new NpgsqlCommand(
            """
            UPDATE schemaversions AS j SET scriptname = m.present
              FROM unnest(@older, @present) AS m(older, present)
             WHERE j.scriptname = m.older
            """,
            connection,
            transaction);
        rename.Parameters.AddWithValue("older", OlderFiles.Keys.Select(f => OlderPrefix + f).ToArray());
        rename.Parameters.AddWithValue("present", OlderFiles.Values.Select(f => Prefix + f).ToArray());
        var renamed = rename.ExecuteNonQuery();
        transaction.Commit();
        return renamed;
    }
}
