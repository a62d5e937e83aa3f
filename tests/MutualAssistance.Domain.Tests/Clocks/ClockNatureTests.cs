using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// A clock's period is the instrument's (statutory, its article cited) or a target where the instrument sets none, with
/// who set it; a target is never presented as law (issue 24: "a target clock labelled as such, with who set it and why").
/// </summary>
public sealed class ClockNatureTests
{
    [Theory]
    // Directive 2014/41/EU art. 16(1), 12(3), 12(4), 32(2): periods the Directive sets.
    [InlineData("eio", ClockKind.Acknowledgement, ClockNature.Statutory)]
    [InlineData("eio", ClockKind.Decision, ClockNature.Statutory)]
    [InlineData("eio", ClockKind.Execution, ClockNature.Statutory)]
    [InlineData("eio", ClockKind.ProvisionalMeasures, ClockNature.Statutory)]
    [InlineData("eio", ClockKind.Information, ClockNature.Target)]
    // UNTOC art. 18(24) asks for execution "as soon as possible": no period, so every UNTOC clock is a target.
    [InlineData("untoc", ClockKind.Acknowledgement, ClockNature.Target)]
    [InlineData("untoc", ClockKind.Decision, ClockNature.Target)]
    [InlineData("untoc", ClockKind.Execution, ClockNature.Target)]
    [InlineData("cn-kz-1993", ClockKind.Decision, ClockNature.Target)]
    // CETS 224 art. 8(6)(a): 45 days to serve, 20 days to produce subscriber information.
    [InlineData("cets224-subscriber", ClockKind.Service, ClockNature.Statutory)]
    [InlineData("cets224-subscriber", ClockKind.Production, ClockNature.Statutory)]
    public void Each_clock_says_whether_its_period_is_the_instruments_or_a_target(string basis, ClockKind kind, ClockNature nature)
    {
        var rule = ShippedData.AsShipped.Policies.Find(basis, kind)!;
        Assert.Equal(nature, rule.Nature);
        if (nature == ClockNature.Target)
        {
            Assert.StartsWith("this system's default", rule.SetBy, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(rule.SetBy);
        }
    }

    [Fact]
    public void The_request_view_carries_the_nature_and_who_set_a_target()
    {
        var scenario = new Scenario(Testing.TestReferenceData.TreatyBasis);
        var view = scenario.Request.ToView(Scenario.Handler, ShippedData.Set);
        var decision = view.Clocks.Single(c => c.Kind == ClockKind.Decision);
        Assert.Equal(ClockNature.Target, decision.Nature);
        Assert.Contains("configurable per node", decision.SetBy, StringComparison.Ordinal);
        Assert.Equal(ClockNature.Statutory, new Scenario(LegalBases.Eio).Request.ToView(Scenario.Handler, ShippedData.Set).Clocks.Single(c => c.Kind == ClockKind.Decision).Nature);
    }

    [Theory]
    [InlineData(null, null, "must say its nature")]
    [InlineData("target", null, "setBy must say who set it")]
    [InlineData("statutory", "someone", "setBy is for targets")]
    public void A_clock_without_its_nature_or_a_target_without_who_set_it_stops_the_load(string? nature, string? setBy, string expected)
    {
        var folder = ReferenceDataTests.CopyOfShippedData();
        try
        {
            var policies = Path.Combine(folder.FullName, "policies.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(policies), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
            var clock = json["policies"]!.AsArray().Single(p => p!["legalBasis"]?.GetValue<string>() == "treaty")!["clocks"]![0]!.AsObject();
            clock.Remove("nature");
            clock.Remove("setBy");
            if (nature is not null)
            {
                clock["nature"] = nature;
            }

            if (setBy is not null)
            {
                clock["setBy"] = setBy;
            }

            File.WriteAllText(policies, json.ToJsonString());
            var error = Assert.Throws<InvalidDataException>(() => ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
