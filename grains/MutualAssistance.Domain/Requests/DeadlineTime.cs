namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The clock that deadlines are measured against: a keyed <see cref="TimeProvider"/> service, so that tests can
/// drive weeks of deadlines with a fake clock while Orleans itself keeps real time.
/// </summary>
public static class DeadlineTime
{
    public const string Key = "deadlines";

    /// <summary>The reminder that wakes a request at its next clock event.</summary>
    public const string ReminderName = "deadlines";

    /// <summary>A reminder further out than this is set for this long, and set again when it ticks.</summary>
    public static readonly TimeSpan LongestReminderDelay = TimeSpan.FromDays(30);

    /// <summary>How often a reminder repeats when a tick goes unanswered (a silo down, a tick skipped).</summary>
    public static readonly TimeSpan ReminderRetryPeriod = TimeSpan.FromMinutes(15);
}
