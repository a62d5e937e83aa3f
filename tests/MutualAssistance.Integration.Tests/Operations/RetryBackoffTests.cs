using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Integration.Tests;

/// <summary>The one backoff rule of the exchange's sends and the webhook deliveries.</summary>
[Trait("Category", "Fast")]
public sealed class RetryBackoffTests
{
    private static readonly RetryBackoff Backoff = new(TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)] // 5,120 s capped at the hour
    [InlineData(1_000, 3600)]
    public void After_the_nth_failure_the_wait_doubles_from_the_first_up_to_the_most(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.After(failures));

    [Fact]
    public void Jitter_spreads_the_wait_by_a_fifth_either_way()
    {
        var waits = Enumerable.Range(0, 200).Select(_ => Backoff.After(3, jitter: true).TotalSeconds).ToList();
        Assert.All(waits, w => Assert.InRange(w, 16, 24));
        Assert.True(waits.Distinct().Count() > 1, "the waits are spread");
    }
}
