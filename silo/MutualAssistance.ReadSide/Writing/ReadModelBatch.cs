using MutualAssistance.Domain.ReadModel;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.ReadSide.Writing;

/// <summary>
/// Applies projections to the read model outside a request's own commit (the rebuild command, and tests that
/// build rows by hand): one call of <c>readmodel_apply</c>, ordered by version, so an older one never wins.
/// </summary>
public static class ReadModelBatch
{
    public const int MaxBatch = 500;

    /// <summary>Applies <paramref name="batch"/>; returns how many were newer than what the model held.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<RequestProjection> batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT readmodel_apply(@batch)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("batch", NpgsqlDbType.Jsonb) { Value = ProjectionJson.Batch(batch) });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<RequestProjection> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ApplyAsync(connection, null, batch, cancellationToken);
    }
}
