using FsCheck;
using FsCheck.Fluent;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.History;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>Laws that hold for any start, period, pause, extension or sequence of actions (FsCheck, shrinking on failure).</summary>
public sealed class PropertyTests
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (WorkingCalendar Calendar, DateTimeZone Zone)[] Places =
    [
        (ShippedData.Set.Calendars.For("CN"), Calendars.Zone("Asia/Shanghai")),
        (ShippedData.Set.Calendars.For("RU"), Calendars.Zone("Europe/Moscow")),
        (ShippedData.Set.Calendars.For("IR"), Calendars.Zone("Asia/Tehran")),
        (Calendars.SaturdaySunday(), Calendars.Zone("Europe/Berlin")),
    ];

    private static readonly Gen<(Clock Clock, int Place)> Clocks =
        from start in Gen.Choose(0, 2 * 365 * 24 * 60)
        from amount in Gen.Choose(0, 400)
        from unit in Gen.Choose(0, 2)
        from place in Gen.Choose(0, Places.Length - 1)
        select (new Clock
        {
            Id = 1, Kind = ClockKind.Decision, Side = Side.Requested, ResponsibleAuthority = "XX-TEST",
            StartedAt = Origin.AddMinutes(start), Period = new DeadlinePeriod(amount, (PeriodUnit)unit),
            State = ClockState.Running, Source = "property",
        }, place);

    private static void Holds<T>(Gen<T> gen, Func<T, bool> law, int tests = 300) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests), Prop.ForAll(gen.ToArbitrary(), law));

    [Fact]
    public void A_due_time_is_never_before_its_start() => Holds(Clocks, t =>
    {
        var (calendar, zone) = Places[t.Place];
        return DeadlineCalculator.Due(t.Clock, calendar, zone) >= t.Clock.StartedAt;
    });

    [Fact]
    public void Pausing_never_makes_a_clock_due_sooner() => Holds(
        from t in Clocks
        from after in Gen.Choose(0, 200 * 24 * 60)
        from length in Gen.Choose(0, 100 * 24 * 60)
        select (t.Clock, t.Place, after, length),
        t =>
        {
            var (calendar, zone) = Places[t.Place];
            var from = t.Clock.StartedAt.AddMinutes(t.after);
            var paused = t.Clock.Pause(from, "p", "r", RequestStatus.Postponed).Resume(from.AddMinutes(t.length));
            return DeadlineCalculator.Due(paused, calendar, zone) >= DeadlineCalculator.Due(t.Clock, calendar, zone);
        });

    [Fact]
    public void No_extension_passes_its_cap() => Holds(
        Gen.Choose(-5, 60).ArrayOf(),
        requestedDays =>
        {
            var scenario = new Scenario();
            foreach (var days in requestedDays.Take(10))
            {
                var decision = scenario.Try(RequestAction.Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = days, Reason = "r" });
                if (decision.Outcome == ActionOutcome.Applied)
                {
                    scenario.Do(RequestAction.Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = days, Reason = "r" });
                }
            }

            var extensions = scenario.Clock(ClockKind.Decision).Extensions;
            return extensions.Sum(e => e.Days) <= 30 && extensions.All(e => e.Days is >= 1 and <= 30);
        },
        tests: 150);

    [Fact]
    public void Every_sequence_of_events_yields_a_history_whose_chain_verifies() => Holds(
        Gen.Choose(0, 100_000).ArrayOf(),
        steps =>
        {
            Actor[] actors = [Scenario.Filer, Scenario.Handler, Scenario.RequestedSupervisor, Scenario.RequestingSupervisor, Scenario.Viewer];
            var actions = Enum.GetValues<RequestAction>();
            var kinds = Enum.GetValues<ClockKind>();
            var scenario = new Scenario();
            foreach (var step in steps.Take(25))
            {
                scenario.Advance(TimeSpan.FromHours(step % 500));
                scenario.Evaluate();
                var action = actions[step % actions.Length];
                var actor = actors[(step / 7) % actors.Length];
                ActionCommand Details(ActionCommand c) => Scenario.Complete(action)(c) with { Clock = kinds[(step / 3) % kinds.Length], Days = 1 + (step % 40) };
                var before = scenario.Request;
                var decision = scenario.Try(action, actor, Details);
                if (decision.Outcome == ActionOutcome.Applied)
                {
                    if (decision.Request.Version <= before.Version || decision.Request.NewEvents.Length <= before.NewEvents.Length)
                    {
                        return false;
                    }

                    scenario.Do(action, actor, Details);
                }
                else if (!ReferenceEquals(decision.Request, before))
                {
                    return false;
                }
            }

            return HashChain.Verify(scenario.Request.NewEvents).Intact;
        },
        tests: 150);
}
