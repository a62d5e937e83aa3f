using System.Threading.Channels;
using Npgsql;

namespace MutualAssistance.ReadSide.Writing;

/// <summary>
/// Tells the API which authorities' data changed (PostgreSQL <c>authority_changed</c>, through readmodel_notify),
/// after the commits and in batches: a NOTIFY inside each request's commit would make every commit wait for the
/// database-wide notification lock through its WAL flush. What queues up while a batch is in flight goes in the next
/// one; a failed batch is kept and sent again. The API treats what it heard as a cache that also expires, so a
/// notification lost with a crashed silo delays a dashboard's update by seconds, never for good.
/// </summary>
public sealed partial class AuthorityChangeNotifier(NpgsqlDataSource dataSource, ILogger<AuthorityChangeNotifier> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At most one batch per interval: each batch sums the versions of the authorities' requests and commits a
    /// transaction of its own, and under load it would otherwise run back to back (measured: 140 batches/s at 800
    /// actions/s). Listeners hear of a change within this interval and a few milliseconds.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly Channel<string> changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Changed(string requestingAuthority, string requestedAuthority)
    {
        changed.Writer.TryWrite(requestingAuthority);
        changed.Writer.TryWrite(requestedAuthority);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // A failed batch stays pending and is sent again without waiting for a new change.
            while (pending.Count > 0 || await changed.Reader.WaitToReadAsync(stoppingToken))
            {
                while (changed.Reader.TryRead(out var authority))
                {
                    pending.Add(authority);
                }

                try
                {
                    await using var command = dataSource.CreateCommand("SELECT readmodel_notify(@authorities)");
                    command.Parameters.AddWithValue("authorities", pending.ToArray());
                    await command.ExecuteScalarAsync(stoppingToken);
                    pending.Clear();
                    await Task.Delay(Interval, stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    LogNotifyFailed(pending.Count, e.Message);
                    await Task.Delay(Retry, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying changes of {Count} authorities failed: {Error}; retrying")]
    private partial void LogNotifyFailed(int count, string error);
}
