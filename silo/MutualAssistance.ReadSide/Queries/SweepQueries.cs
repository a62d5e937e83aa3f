using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>What the deadline sweep reads: requests whose next clock event is overdue, and the open clocks by state.</summary>
public static class SweepQueries
{
    public static async Task<List<Guid>> Overdue(NpgsqlConnection connection, NpgsqlTransaction? transaction, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(
            "SELECT request_id FROM request_summaries WHERE next_event_at <= @before ORDER BY next_event_at LIMIT @limit", connection, transaction);
        find.Parameters.AddWithValue("before", before);
        find.Parameters.AddWithValue("limit", limit);
        var overdue = new List<Guid>();
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            overdue.Add(reader.GetGuid(0));
        }

        return overdue;
    }

    /// <summary>How many clocks are open, by state (its wire name).</summary>
    public static async Task<Dictionary<string, long>> OpenClocks(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand($"SELECT state, count(*) FROM request_clocks WHERE state IN {ClockStates.OpenList} GROUP BY state", connection, transaction);
        var open = new Dictionary<string, long>();
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            open[reader.GetString(0)] = reader.GetInt64(1);
        }

        return open;
    }
}
