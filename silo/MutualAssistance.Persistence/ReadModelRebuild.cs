using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.ReadSide.Writing;
using Npgsql;
using Orleans.Serialization;
using MutualAssistance.Sealing;

namespace MutualAssistance.Persistence;

/// <summary>
/// Recreates the read model from the requests' stored state, without a running cluster: every stored request is
/// read from <c>request_state</c>, projected, and written in one transaction that first empties the
/// model. Readers see the old model until the commit; grains writing meanwhile wait for it, then apply their
/// (newer) versions on top.
/// </summary>
public static class ReadModelRebuild
{

    /// <summary>The stored states are sealed: <paramref name="wrapping"/> (the node's master keys) opens their data keys.</summary>
    public static async Task<int> RunAsync(string connectionString, string referenceDataPath, IKeyWrapping wrapping, TextWriter output, CancellationToken cancellationToken = default)
    {
        var path = Path.IsPathRooted(referenceDataPath) ? referenceDataPath : Path.Combine(AppContext.BaseDirectory, referenceDataPath);
        var data = ReferenceDataFiles.Load(path);
        await using var services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(AssistanceRequest).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        await using var writer = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await writer.BeginTransactionAsync(cancellationToken);
        await using (var empty = new NpgsqlCommand("TRUNCATE request_clocks, request_summaries", writer, transaction))
        {
            await empty.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reader = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            "SELECT s.request_id, s.version, s.payload, k.master_version, k.wrapped FROM request_state s LEFT JOIN request_keys k ON k.request_id = s.request_id", reader);
        await using var rows = await select.ExecuteReaderAsync(cancellationToken);

        var batch = new List<RequestProjection>(ReadModelBatch.MaxBatch);
        var total = 0;
        async Task Flush()
        {
            total += await ReadModelBatch.ApplyAsync(writer, transaction, batch, cancellationToken);
            batch.Clear();
        }

        while (await rows.ReadAsync(cancellationToken))
        {
            var id = rows.GetGuid(0);
            var key = rows.IsDBNull(4) ? null : new DataKey(id, wrapping.Unwrap(id, new WrappedDataKey(rows.GetInt32(3), rows.GetFieldValue<byte[]>(4))));
            var request = serializer.Deserialize<AssistanceRequest>(SealedState.Open(id, key, rows.GetInt32(1), rows.GetFieldValue<byte[]>(2)))
                ?? throw new InvalidOperationException("A stored request state is empty.");
            batch.Add(Projections.Of(request, data));
            if (batch.Count == ReadModelBatch.MaxBatch)
            {
                await Flush();
            }
        }

        if (batch.Count > 0)
        {
            await Flush();
        }

        // Every listening API drops what it cached of the versions: the model it cached them from is gone.
        await using (var notify = new NpgsqlCommand("SELECT readmodel_notify(ARRAY(SELECT requesting_authority FROM request_summaries UNION SELECT requested_authority FROM request_summaries))", writer, transaction))
        {
            await notify.ExecuteScalarAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        output.WriteLine($"Rebuilt the read model from stored state: {total} request(s).");
        return total;
    }
}
