using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace MutualAssistance.Sealing;

/// <summary>
/// The requests' data keys: made here for a request's first commit on this node, kept wrapped in
/// <c>request_keys</c>, unwrapped with <see cref="IKeyWrapping"/> when a request is read, and held unwrapped in a
/// bounded memory cache while it is in use (an active request's key is needed at every commit). An erasure
/// forgets it here and destroys it there.
/// </summary>
public sealed class DataKeys(NpgsqlDataSource dataSource, IKeyWrapping wrapping) : IDisposable
{
    private const string FindSql = "SELECT master_version, wrapped FROM request_keys WHERE request_id = @id";

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) };

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public IKeyWrapping Wrapping => wrapping;

    public DataKey? Cached(Guid requestId) => cache.TryGetValue(requestId, out DataKey? key) ? key : null;

    /// <summary>The key of a request read with its wrapped key (null: it has none, erased or from before sealing).</summary>
    public DataKey? Opened(Guid requestId, WrappedDataKey? wrapped)
    {
        if (Cached(requestId) is { } known)
        {
            return known;
        }

        if (wrapped is null)
        {
            return null;
        }

        var key = new DataKey(requestId, wrapping.Unwrap(requestId, wrapped));
        cache.Set(requestId, key, Entry);
        return key;
    }

    public async Task<DataKey?> Find(Guid requestId, CancellationToken cancellationToken)
    {
        if (Cached(requestId) is { } known)
        {
            return known;
        }

        await using var command = dataSource.CreateCommand(FindSql);
        command.Parameters.AddWithValue("id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? Opened(requestId, new WrappedDataKey(reader.GetInt32(0), reader.GetFieldValue<byte[]>(1)))
            : null;
    }

    /// <summary>A new key for <paramref name="requestId"/>, wrapped for storage; it is remembered once its commit succeeded (<see cref="Remember"/>).</summary>
    public (DataKey Key, WrappedDataKey Wrapped) Create(Guid requestId)
    {
        var bytes = DataKey.NewKeyBytes();
        return (new DataKey(requestId, bytes), wrapping.Wrap(requestId, bytes));
    }

    public void Remember(DataKey key) => cache.Set(key.RequestId, key, Entry);

    public void Forget(Guid requestId) => cache.Remove(requestId);

    public void Dispose() => cache.Dispose();
}
