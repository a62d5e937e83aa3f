using Microsoft.Extensions.Time.Testing;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Deadlines through the grain, its storage and its reminder, with the deadline clock moved by hand. Each test
/// files a fresh request "now" (on the fake clock) and sets the clock past the EIO decision clock's due time
/// (30 days, moved by holidays): an hour past it brings the breach and level 1; 31 days past it, level 3 too.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class DeadlineTests(DeadlineClusterFixture fixture)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };

    private static Task<IAssistanceRequestGrain> FiledAndAcknowledged(IClusterClient client) => EioRequests.FiledAndAcknowledged(client);

    private static Task Tick(IClusterClient client, IAssistanceRequestGrain grain) =>
        client.GetGrain<IRemindable>(grain.GetGrainId()).ReceiveReminder(DeadlineTime.ReminderName, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(15), DateTime.UtcNow));

    private static async Task<string[]> ClockEvents(IAssistanceRequestGrain grain) =>
        [.. (await grain.History()).Where(e => e.Event is "warning" or "breach" or "escalation").Select(e => e.ClockChanges[0].Split(" - ")[0])];

    [Fact]
    public async Task A_reminder_delivered_twice_records_the_breach_and_each_level_once()
    {
        var client = fixture.Cluster.Client;
        var grain = await FiledAndAcknowledged(client);

        await MoveClockPastDecisionDue(grain, TimeSpan.FromHours(1));
        await Tick(client, grain);
        await Tick(client, grain);
        await Task.WhenAll(Tick(client, grain), Tick(client, grain));

        Assert.Equal(["decision: warning", "decision: warning", "decision: breach", "decision: escalation"], await ClockEvents(grain));
        var request = await grain.Get(null);
        Assert.Equal(1, request!.EscalationLevel);
        Assert.Equal(ClockState.Breached, request.Clocks.Single(c => c.Kind == ClockKind.Decision).State);
        Assert.True((await grain.VerifyHistory()).Intact);
    }

    [Fact]
    public async Task A_skipped_tick_is_caught_up_by_the_next_wake_up_in_order_and_once()
    {
        var client = fixture.Cluster.Client;
        var grain = await FiledAndAcknowledged(client);

        await MoveClockPastDecisionDue(grain, TimeSpan.FromDays(31));
        await grain.Wake();
        await Tick(client, grain);

        Assert.Equal(
            ["decision: warning", "decision: warning", "decision: breach", "decision: escalation", "decision: escalation", "decision: escalation"],
            await ClockEvents(grain));
        Assert.Equal(3, (await grain.Get(null))!.EscalationLevel);
    }

    [Fact]
    public async Task Activation_after_a_deactivation_records_what_fell_due_meanwhile()
    {
        var client = fixture.Cluster.Client;
        var grain = await FiledAndAcknowledged(client);
        await MoveClockPastDecisionDue(grain, TimeSpan.FromHours(1));
        await fixture.Cluster.DeactivateAsync(grain);
        var read = await grain.Get(null);

        Assert.Equal(1, read!.EscalationLevel);
        await Tick(client, grain);
        Assert.Equal(["decision: warning", "decision: warning", "decision: breach", "decision: escalation"], await ClockEvents(grain));
    }

    [Fact]
    public async Task The_reminder_exists_while_a_clock_ticks_and_is_removed_when_none_does()
    {
        var client = fixture.Cluster.Client;
        var grain = await FiledAndAcknowledged(client);
        Assert.Equal(1, await ReminderRows(fixture.ConnectionString, grain));

        var withdrawn = await grain.Act(new ActionCommand { Action = RequestAction.Withdraw, Reason = "no longer needed" }, Filer);
        Assert.Equal(ActionOutcome.Applied, withdrawn.Outcome);
        Assert.Equal(0, await ReminderRows(fixture.ConnectionString, grain));
    }

    [Fact]
    public async Task A_request_whose_silo_is_killed_before_the_due_time_records_the_breach_once_on_the_new_silo()
    {
        // A cluster of its own, since its only silo is killed; membership in the database lets a new silo take over.
        var connectionString = await fixture.Database.Server.CreateMigratedDatabaseAsync("deadline_kill");
        var clock = new FakeTimeProvider(PostgresTestCluster.DeadlineClockStart);
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, deadlineClock: clock);
        var grain = await FiledAndAcknowledged(cluster.Client);
        Assert.Equal(1, await ReminderRows(connectionString, grain));

        var due = await DecisionDue(grain);
        var doomed = cluster.Silos[0];
        await cluster.StartAdditionalSiloAsync(startAdditionalSiloOnNewPort: true);
        await cluster.KillSiloAsync(doomed, TestContext.Current.CancellationToken);
        clock.SetUtcNow(due + TimeSpan.FromHours(1));

        // The request wakes on the surviving silo (by a call here; the reminder or the sweep would do the same).
        var read = await Eventually(() => grain.Get(null));
        Assert.Equal(1, read.EscalationLevel);
        await Eventually(async () => { await Tick(cluster.Client, grain); return "ticked"; });
        await grain.Wake();
        Assert.Equal(["decision: warning", "decision: warning", "decision: breach", "decision: escalation"], await ClockEvents(grain));
        Assert.True((await grain.VerifyHistory()).Intact);
    }

    [Fact]
    public async Task With_the_whole_cluster_down_while_deadlines_fall_due_each_event_is_recorded_once_after_restart()
    {
        var connectionString = await fixture.Database.Server.CreateMigratedDatabaseAsync("deadline_down");
        var clock = new FakeTimeProvider(PostgresTestCluster.DeadlineClockStart);
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2, deadlineClock: clock);
        var grains = new List<IAssistanceRequestGrain>();
        for (var i = 0; i < 6; i++)
        {
            grains.Add(await FiledAndAcknowledged(cluster.Client));
        }

        var latest = DateTimeOffset.MinValue;
        foreach (var grain in grains)
        {
            var due = await DecisionDue(grain);
            latest = due > latest ? due : latest;
        }

        // Every silo goes; the deadlines pass while nothing runs; one silo comes back with nothing in memory.
        await cluster.StopAllSilosAsync(TestContext.Current.CancellationToken);
        clock.SetUtcNow(latest + TimeSpan.FromHours(1));
        var survivor = await cluster.StartAdditionalSiloAsync(startAdditionalSiloOnNewPort: true);
        await cluster.InitializeClientAsync(TestContext.Current.CancellationToken);

        // The sweep alone (no call to the requests) finds them all and wakes them.
        var sweep = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MutualAssistance.Silo.ReadModel.DeadlineSweep>(cluster.GetSiloServiceProvider(survivor.SiloAddress));
        Assert.True(await sweep.RunOnceAsync(TestContext.Current.CancellationToken) >= grains.Count);
        await sweep.RunOnceAsync(TestContext.Current.CancellationToken);
        foreach (var grain in grains)
        {
            var reopened = cluster.Client.GetGrain<IAssistanceRequestGrain>(grain.GetPrimaryKey());
            await Tick(cluster.Client, reopened);
            Assert.Equal(["decision: warning", "decision: warning", "decision: breach", "decision: escalation"], await ClockEvents(reopened));
        }
    }

    private static Task<DateTimeOffset> DecisionDue(IAssistanceRequestGrain grain) => EioRequests.DecisionDue(grain);

    /// <summary>Sets the deadline clock to the decision clock's due time plus <paramref name="beyond"/>.</summary>
    [Fact]
    public async Task A_breach_and_its_escalation_reach_both_parties_webhooks_each_once_and_only_the_types_asked_for()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var subscriptions = new MutualAssistance.Notifications.WebhookSubscriptions(dataSource, TimeProvider.System);
        var (kz, _) = await subscriptions.Create("KZ-GP", receiver.Url("kz"), [], "test-admin", TestContext.Current.CancellationToken);
        var (cn, _) = await subscriptions.Create("CN-MOJ", receiver.Url("cn"), ["request.breach", "request.escalation"], "test-admin", TestContext.Current.CancellationToken);
        try
        {
            var client = fixture.Cluster.Client;
            var grain = await FiledAndAcknowledged(client);
            var id = grain.GetPrimaryKey().ToString();
            await MoveClockPastDecisionDue(grain, TimeSpan.FromHours(1));
            await Tick(client, grain);

            string[] Types(string name) =>
                [.. receiver.To(name).Where(p => p.Body.Contains(id, StringComparison.Ordinal))
                    .Select(p => System.Text.Json.JsonDocument.Parse(p.Body).RootElement.GetProperty("type").GetString()!)];
            await Eventually(() => Task.FromResult(Types("kz").Length == 5 && Types("cn").Length == 2 ? "all" : null));
            // Webhooks are posted in parallel: each once, in no promised order (a receiver orders by data.sequence).
            Assert.Equal(["request.acted", "request.breach", "request.escalation", "request.warning", "request.warning"], Types("kz").Order(StringComparer.Ordinal));
            Assert.Equal(["request.breach", "request.escalation"], Types("cn").Order(StringComparer.Ordinal)); // not told of its own action, nor of warnings it did not ask for
            var escalation = receiver.To("cn").Single(p => p.Body.Contains(id, StringComparison.Ordinal) && p.Body.Contains("request.escalation", StringComparison.Ordinal));
            Assert.Contains("level 1", escalation.Body, StringComparison.Ordinal);
        }
        finally
        {
            await subscriptions.Remove("KZ-GP", kz.Id, CancellationToken.None);
            await subscriptions.Remove("CN-MOJ", cn.Id, CancellationToken.None);
        }
    }

    private async Task MoveClockPastDecisionDue(IAssistanceRequestGrain grain, TimeSpan beyond) =>
        fixture.Clock.SetUtcNow(await DecisionDue(grain) + beyond);

    private static async Task<T> Eventually<T>(Func<Task<T?>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await call() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException && DateTime.UtcNow < deadline)
            {
                // The dead silo's activations are still in the directory until the cluster declares it dead.
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<long> ReminderRows(string connectionString, IAssistanceRequestGrain grain)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_reminders WHERE grainid = @id AND remindername = @name", connection);
        command.Parameters.AddWithValue("id", grain.GetGrainId().ToString());
        command.Parameters.AddWithValue("name", DeadlineTime.ReminderName);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
