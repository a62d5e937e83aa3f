using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using Npgsql;
using Orleans.Serialization;

namespace MutualAssistance.Persistence;

/// <summary>
/// Carries request state written by the previous release (the grain state in <c>orleans_storage</c>, history
/// embedded) over to the request store: each request's history becomes its rows in <c>request_events</c>, hashes
/// unchanged, its state without history goes to <c>request_state</c>, and its read-model rows are brought up to its
/// version; then its old row is deleted, all in one transaction per request. Run by the <c>migrate</c> command after
/// the schema migrations; running it again finds nothing to do. A silo refuses to start while such state remains.
/// </summary>
public static class LegacyRequestStates
{
    /// <summary>The state name under which the previous release stored requests.</summary>
    public const string StateName = "request";

    /// <summary>The rows still to carry over.</summary>
    private const string LegacyRows = $"FROM orleans_storage WHERE graintypestring = '{StateName}' AND payloadbinary IS NOT NULL";

    /// <summary>
    /// Synchronous, as its one caller is: the start-up check beside DbUp's (which is synchronous), made while the host
    /// is being built, where there is nothing to await on.
    /// </summary>
    public static long Pending(NpgsqlDataSource dataSource)
    {
        using var command = dataSource.CreateCommand("SELECT count(*) " + LegacyRows);
        return (long)command.ExecuteScalar()!;
    }

    public static async Task<int> RunAsync(string connectionString, string referenceDataPath, TextWriter output, CancellationToken cancellationToken = default)
    {
        var path = Path.IsPathRooted(referenceDataPath) ? referenceDataPath : Path.Combine(AppContext.BaseDirectory, referenceDataPath);
        var data = ReferenceDataFiles.Load(path);
        await using var services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(AssistanceRequest).Assembly).AddAssembly(typeof(LegacyRequestState).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var requestSerializer = services.GetRequiredService<Serializer<AssistanceRequest>>();

        var carried = 0;
        while (true)
        {
            // A page at a time, each request in its own transaction: an interrupted run resumes where it stopped.
            var page = await ReadPage(dataSource, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var (key, payload) in page)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                if (serializer.Deserialize<LegacyRequestState>(payload)?.Request is { } legacy)
                {
                    var converted = Convert(legacy);
                    await using var commit = new NpgsqlCommand(PostgresRequestStore.CommitSql, connection, transaction);
                    PostgresRequestStore.Bind(commit.Parameters, requestSerializer, new RequestChange(null, converted, Projections.Of(converted, data)));
                    // false: the request was carried over already (an earlier run stopped before deleting its old row).
                    await commit.ExecuteScalarAsync(cancellationToken);
                }

                await using var delete = new NpgsqlCommand("DELETE FROM orleans_storage WHERE ctid = @key::tid", connection, transaction);
                delete.Parameters.AddWithValue("key", key);
                await delete.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                carried++;
            }
        }

        output.WriteLine(carried == 0
            ? "No request state of the previous release to carry over."
            : $"Carried {carried} request state(s) of the previous release over to the request store (history to request_events).");
        return carried;
    }

    /// <summary>The request as the store keeps it, its whole history as new events, the chain head at its last event.</summary>
    public static AssistanceRequest Convert(AssistanceRequest legacy)
    {
        var history = legacy.NewEvents.IsDefault ? [] : legacy.NewEvents;
        return history.IsEmpty
            ? legacy
            : legacy with { Head = ChainHead.Of(history[^1]), LastEventAt = history[^1].At };
    }

    private static async Task<List<(string Key, byte[] Payload)>> ReadPage(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT ctid::text, payloadbinary " + LegacyRows + " LIMIT 200");
        var page = new List<(string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        }

        return page;
    }
}
