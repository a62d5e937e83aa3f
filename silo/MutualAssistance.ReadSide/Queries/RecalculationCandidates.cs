using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// Requests with a ticking clock that a change of reference data can move, a page at a time in id order: clocks of
/// given authorities (a calendar or an authority changed) or of requests under a legal basis (its rules changed),
/// due on or after a day when the change starts then.
/// </summary>
public static class RecalculationCandidates
{
    public static Task<ImmutableArray<Guid>> OfAuthorities(NpgsqlConnection connection, IReadOnlyCollection<string> authorities, DateOnly? from, Guid after, int limit, CancellationToken cancellationToken) =>
        Read(connection, "", "c.responsible_authority = ANY(@authorities)", authorities.ToArray(), null, from, after, limit, cancellationToken);

    public static Task<ImmutableArray<Guid>> OfLegalBasis(NpgsqlConnection connection, string basis, DateOnly? from, Guid after, int limit, CancellationToken cancellationToken) =>
        Read(connection, "JOIN request_summaries s ON s.request_id = c.request_id", "s.legal_basis = @basis", [], basis, from, after, limit, cancellationToken);

    private static async Task<ImmutableArray<Guid>> Read(NpgsqlConnection connection, string join, string where, string[] authorities, string? basis, DateOnly? from, Guid after, int limit, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(
            $"""
            SELECT DISTINCT c.request_id FROM request_clocks c {join}
            WHERE c.state IN {ClockStates.TickingList} AND {where}
              AND (@from::date IS NULL OR c.due_at >= @from::date::timestamptz) AND c.request_id > @after
            ORDER BY c.request_id LIMIT @limit
            """, connection);
        find.Parameters.AddWithValue("authorities", authorities);
        find.Parameters.Add(new NpgsqlParameter<string?>("basis", basis));
        find.Parameters.AddWithValue("from", NpgsqlDbType.Date, (object?)from ?? DBNull.Value);
        find.Parameters.AddWithValue("after", after);
        find.Parameters.AddWithValue("limit", limit);
        var ids = ImmutableArray.CreateBuilder<Guid>();
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids.ToImmutable();
    }
}
