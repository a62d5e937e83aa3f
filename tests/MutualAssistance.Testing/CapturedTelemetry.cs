using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MutualAssistance.Testing;

/// <summary>
/// What the hosts of this test process logged and traced, kept for tests that scan it (no personal data may appear):
/// every log line with its state and exception, and every finished activity's name, tags and events, from the test
/// silos and APIs (<see cref="InProcessSilo"/> and the API factories add <see cref="Logs"/>). Bounded: the newest
/// 200,000 entries.
/// </summary>
public static class CapturedTelemetry
{
    private const int Capacity = 200_000;
    private static readonly ConcurrentQueue<string> Entries = new();
    private static readonly ActivityListener Listener = StartListening();

    /// <summary>The provider to add to a host's logging.</summary>
    public static ILoggerProvider Logs { get; } = new Provider();

    /// <summary>Every entry captured so far that contains <paramref name="text"/> (ordinal, ignoring case).</summary>
    public static IReadOnlyList<string> Containing(string text)
    {
        GC.KeepAlive(Listener);
        return [.. Entries.Where(e => e.Contains(text, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>How many entries are held (a scan that found nothing in nothing proves nothing).</summary>
    public static int Count => Entries.Count;

    private static void Add(string entry)
    {
        Entries.Enqueue(entry);
        while (Entries.Count > Capacity && Entries.TryDequeue(out _))
        {
        }
    }

    private static ActivityListener StartListening()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Add(
                $"trace {activity.Source.Name} {activity.DisplayName} "
                + string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                + string.Join(' ', activity.Events.Select(e => e.Name + " " + string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}"))))),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private sealed class Provider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            Add($"log {logLevel} {category} {formatter(state, exception)} {values} {exception}");
        }
    }
}
