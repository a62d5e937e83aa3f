using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Domain.Requests;
using static MutualAssistance.Integration.Tests.FederationCalls;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Each state's deadlines on its own node: a clock's due time is computed by the node of its responsible
/// authority and carried to the other, which shows the same instant; each node escalates its own authorities'
/// clocks, by its own clock, and the other records what it sends.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationDeadlineTests(FederationFixture federation)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FederationNode KzNode => federation.Kz;

    private FederationNode CnNode => federation.Cn;

    [Fact]
    public async Task A_node_whose_clock_runs_far_ahead_escalates_only_its_own_clocks_and_both_nodes_show_the_same_instants()
    {
        // Node KZ's deadline clock runs 75 days ahead of node CN's.
        var ahead = TimeSpan.FromDays(75);
        await KzNode.StopAsync();
        await KzNode.StartAsync(services => services.AddKeyedSingleton<TimeProvider>(DeadlineTime.Key, new OffsetTime(ahead)));
        try
        {
            var id = await File(KzNode, Body("A clock far ahead"));
            await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
            await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "Who holds the accounts" });

            // By KZ's clock the information clock (KZ-GP's to meet) is long overdue: KZ records its breach and
            // escalations up to level 3 through CN; CN's own clocks, by CN's clock, are not breached.
            var onCn = await Until(CnNode, Cn, "handler", id, r => Clock(r, "information").GetProperty("escalationLevel").GetInt32() == 3, "level 3 on the information clock on node CN");
            var onKz = await Until(KzNode, Kz, "filer", id, r => Clock(r, "information").GetProperty("escalationLevel").GetInt32() == 3, "level 3 on the information clock on node KZ");
            Assert.Equal("breached", Clock(onCn, "information").GetProperty("state").GetString());
            Assert.Equal(3, onKz.GetProperty("escalationLevel").GetInt32());
            Assert.All(onCn.GetProperty("clocks").EnumerateArray().Where(c => c.GetProperty("responsibleAuthority").GetString() == Cn),
                c => Assert.Equal(0, c.GetProperty("escalationLevel").GetInt32()));
            Assert.Equal(DueTimes(onCn), DueTimes(onKz));
            await SameHistoryOnBoth(KzNode, CnNode, id);
        }
        finally
        {
            await KzNode.StopAsync();
            await KzNode.StartAsync();
        }
    }

    [Fact]
    public async Task A_closure_declared_on_the_responsible_node_moves_its_clock_on_both_nodes_and_nothing_of_the_other_side()
    {
        var id = await File(KzNode, Body("A closure on KZ's calendar"));
        await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "Who holds the accounts" });
        var before = await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "awaiting-information", "awaiting information on node KZ");
        var due = Clock(before, "information");
        // Due at the end of its last day: the first instant of the next, local to KZ-GP.
        var lastDay = DateOnly.FromDateTime(due.GetProperty("dueLocal").GetDateTimeOffset().DateTime).AddDays(-1);

        // KZ's admin closes KZ's offices on the information clock's last day: known on node KZ only.
        var closure = await KzNode.As(Kz, "admin").PutAsJsonAsync(
            $"/api/authorities/{Kz}/calendar/closures/{lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", new { reason = "Offices closed (test)" }, Cancel);
        Assert.True(closure.IsSuccessStatusCode, await closure.Content.ReadAsStringAsync(Cancel));
        try
        {
            var onCn = await Until(CnNode, Cn, "handler", id,
                r => Clock(r, "information").GetProperty("dueAt").GetString() != due.GetProperty("dueAt").GetString(), "the information clock moved on node CN");
            var onKz = await Until(KzNode, Kz, "filer", id,
                r => Clock(r, "information").GetProperty("dueAt").GetString() == Clock(onCn, "information").GetProperty("dueAt").GetString(), "the same due time on node KZ");
            Assert.True(Clock(onKz, "information").GetProperty("dueAt").GetDateTimeOffset() > due.GetProperty("dueAt").GetDateTimeOffset());
            Assert.Equal(DueTimes(onCn), DueTimes(onKz));
            var history = await Hashes(CnNode, Cn, "handler", id);
            Assert.Contains(history, e => e.Contains(" recalculation ", StringComparison.Ordinal));
            await SameHistoryOnBoth(KzNode, CnNode, id);
        }
        finally
        {
            await KzNode.As(Kz, "admin").DeleteAsync($"/api/authorities/{Kz}/calendar/closures/{lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}?reason=test", Cancel);
        }
    }

    private static JsonElement Clock(JsonElement view, string kind) =>
        view.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == kind);

    private static string DueTimes(JsonElement view) =>
        string.Join(";", view.GetProperty("clocks").EnumerateArray().OrderBy(c => c.GetProperty("id").GetInt32())
            .Select(c => $"{c.GetProperty("kind").GetString()}={(c.TryGetProperty("dueAt", out var at) ? at.GetString() : "-")}"));

    /// <summary>The system clock, shifted.</summary>
    private sealed class OffsetTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
