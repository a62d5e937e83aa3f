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
/// made through this API makes its parties' versions be read again (<see cref="ChangedHere"/>), and while the connection is
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

    /// <summary>
    /// The authority's version as last heard, when this instance is listening, has heard of it, and nothing was
    /// changed through this API since it was last read from the database.
    /// </summary>
    public bool TryGetVersion(string authority, out long version)
    {
        version = 0;
        var now = Environment.TickCount64;
        if (listening && versions.TryGetValue(authority, out var known) && !known.Stale && now - known.At < (long)CacheFor.TotalMilliseconds)
        {
            version = known.Version;
            return true;
        }

        return false;
    }

    /// <summary>Where the authority's changes through this API stand, to be handed back to <see cref="Remember"/> with what was read after it.</summary>
    public long ChangesMadeHere(string authority) => versions.TryGetValue(authority, out var known) ? known.ChangesHere : 0;

    /// <summary>
    /// The authority's data was just changed through this API (the change is committed): what is known of its version
    /// is not served again until the database has been read after this moment, so that a caller never gets 304 for a
    /// board it has just changed. (Raising the known version by a guess instead could overshoot, when the change's own
    /// notification had already been heard, and a later change would then reach that number with an ETag already
    /// served for older data: a board stuck on 304.)
    /// </summary>
    public void ChangedHere(string authority)
    {
        versions.AddOrUpdate(
            authority,
            new Known(0, Environment.TickCount64, Stale: true, ChangesHere: 1),
            (_, known) => known with { Stale = true, ChangesHere = known.ChangesHere + 1 });
    }

    /// <summary>
    /// Remembers a version read from the database (a newer one heard meanwhile wins). It makes the entry servable
    /// again only when no change was made here since <paramref name="changesBefore"/> (taken before the read).
    /// </summary>
    public void Remember(string authority, long version, long changesBefore)
    {
        if (!listening)
        {
            return;
        }

        var now = Environment.TickCount64;
        versions.AddOrUpdate(
            authority,
            new Known(version, now, Stale: false, ChangesHere: 0),
            (_, known) => known with
            {
                Version = Math.Max(known.Version, version),
                At = now,
                Stale = known.Stale && known.ChangesHere != changesBefore,
            });
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
        var now = Environment.TickCount64;
        versions.AddOrUpdate(authority, new Known(version, now, Stale: false, ChangesHere: 0), (_, known) => known with { Version = Math.Max(known.Version, version), At = now });
        foreach (var (channel, watched) in subscribers)
        {
            if (watched == authority)
            {
                channel.Writer.TryWrite(version);
            }
        }
    }

    /// <summary>A version heard or read, when, whether a change made here since makes it unservable, and how many such changes.</summary>
    private readonly record struct Known(long Version, long At, bool Stale, long ChangesHere);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for read-model changes failed: {Error}; listening again")]
    private partial void LogListenFailed(string error);
}
