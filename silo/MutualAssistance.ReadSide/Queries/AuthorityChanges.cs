using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// Listens on PostgreSQL's <c>authority_changed</c> channel (raised by the silos after their commits, in batches)
/// on one connection, and hands each change to the screens subscribed to that authority. It also keeps the latest
/// version of each authority it has heard of, so that a poll can be answered 304 without a database round trip.
/// What it keeps is a cache: an entry is served for <see cref="CacheFor"/> after it was last heard or read, a change
/// made through this API raises its parties' versions at once (<see cref="ChangedHere"/>), and while the connection is
/// down nothing is served from memory. A lost connection is re-established; screens then see
/// the next change (and poll with their ETag meanwhile).
/// </summary>
public sealed partial class AuthorityChanges(NpgsqlDataSource dataSource, ILogger<AuthorityChanges> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Channel<long>, string> subscribers = new();
    /// <summary>How long a version heard or read is served without asking the database again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Known> versions = new(StringComparer.Ordinal);
    private volatile bool listening;

    /// <summary>The authority's version as last heard, when this instance is listening and has heard of it.</summary>
    public bool TryGetVersion(string authority, out long version)
    {
        version = 0;
        var now = Environment.TickCount64;
        if (listening && versions.TryGetValue(authority, out var known) && now - known.At < (long)CacheFor.TotalMilliseconds)
        {
            version = known.Version;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The authority's data was just changed through this API: what is known of its version goes up by one at once,
    /// so that a caller never gets 304 for a board it has just changed, before the silo's notification brings the
    /// true version. The true version (the sum of its requests' versions) grew by at least one, so it is never below
    /// this guess, and it equals the guess only for the very data the guess was served with.
    /// </summary>
    public void ChangedHere(string authority)
    {
        while (versions.TryGetValue(authority, out var known) && !versions.TryUpdate(authority, known with { Version = known.Version + 1 }, known))
        {
        }
    }

    /// <summary>Remembers a version read from the database (a newer one heard meanwhile wins).</summary>
    public void Remember(string authority, long version)
    {
        if (listening)
        {
            versions.AddOrUpdate(authority, new Known(version, Environment.TickCount64), (_, known) => new Known(Math.Max(known.Version, version), Environment.TickCount64));
        }
    }

    /// <summary>Versions of <paramref name="authority"/>'s data as they change, until cancelled.</summary>
    public async IAsyncEnumerable<long> Watch(string authority, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        subscribers[channel] = authority;
        try
        {
            await foreach (var version in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return version;
            }
        }
        finally
        {
            subscribers.TryRemove(channel, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Publish(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN authority_changed", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening = true;

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                // Changes may be missed from here on: forget what was heard until listening again.
                listening = false;
                versions.Clear();
                LogListenFailed(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void Publish(string payload)
    {
        var separator = payload.LastIndexOf(':');
        if (separator <= 0 || !long.TryParse(payload.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return;
        }

        var authority = payload[..separator];
        versions.AddOrUpdate(authority, new Known(version, Environment.TickCount64), (_, known) => new Known(Math.Max(known.Version, version), Environment.TickCount64));
        foreach (var (channel, watched) in subscribers)
        {
            if (watched == authority)
            {
                channel.Writer.TryWrite(version);
            }
        }
    }

    private readonly record struct Known(long Version, long At);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for read-model changes failed: {Error}; listening again")]
    private partial void LogListenFailed(string error);
}
