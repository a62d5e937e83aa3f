using System.Collections.Concurrent;

namespace MutualAssistance.Integration.Tests;

[Alias("test.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithGuidKey
{
    [Alias("Register")]
    Task Register(TimeSpan dueTime, TimeSpan period);
}

/// <summary>A grain whose reminder ticks are reported to the test that waits for them.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    private static readonly ConcurrentDictionary<Guid, TaskCompletionSource> Ticks = new();

    public static Task FirstTick(Guid id) => Ticks.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task Register(TimeSpan dueTime, TimeSpan period) => await this.RegisterOrUpdateReminder("probe", dueTime, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.GetOrAdd(this.GetPrimaryKey(), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.CompletedTask;
    }
}
