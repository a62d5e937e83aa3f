using MutualAssistance.Contracts.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

public sealed class ReferenceDataTests
{
    private static readonly string[] ScoStates = ["CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK", "IR", "BY"];

    [Fact]
    public void The_shipped_data_covers_every_SCO_member_state_with_a_named_source_for_each_year()
    {
        var data = ShippedData.Set;
        foreach (var state in ScoStates)
        {
            Assert.Contains(data.Authorities.All, a => a.State == state);
            Assert.True(data.Calendars.Has(state), $"no calendar for {state}");
            Assert.All(data.Calendars.For(state).Years.Values, y => Assert.False(string.IsNullOrWhiteSpace(y.Source)));
        }
    }

    [Fact]
    public void Every_legal_basis_has_clocks_with_sources()
    {
        foreach (var basis in ShippedData.AsShipped.Instruments.BasisCodes)
        {
            var rules = ShippedData.AsShipped.Policies.For(basis);
            Assert.NotEmpty(rules);
            Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        }
    }

    [Theory]
    [InlineData("2025-10-01", false)] // National Day
    [InlineData("2025-10-08", false)] // last day of the National Day and Mid-Autumn holiday
    [InlineData("2025-09-28", true)]  // Sunday worked
    [InlineData("2025-10-11", true)]  // Saturday worked
    [InlineData("2025-10-09", true)]
    [InlineData("2025-10-12", false)] // an ordinary Sunday
    public void China_2025_around_National_Day(string date, bool working)
    {
        var day = LocalDate.FromDateTime(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(working, ShippedData.Set.Calendars.For("CN").IsWorkingDay(day));
    }

    [Fact]
    public void Iran_rests_on_Friday_and_works_on_Saturday()
    {
        var iran = ShippedData.Set.Calendars.For("IR");
        Assert.False(iran.IsWorkingDay(new LocalDate(2025, 5, 9)));
        Assert.True(iran.IsWorkingDay(new LocalDate(2025, 5, 10)));
    }

    [Fact]
    public void A_malformed_file_stops_the_load_and_names_itself()
    {
        var folder = CopyOfShippedData();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "calendars", "CN", "2025.json"), """{ "state": "CN", "year": 2025, "status": "official", "weekend": ["saturday"], "holidays": [{ "date": "2024-10-01" }], "source": "x" }""");
            var error = Assert.Throws<InvalidDataException>(() => Domain.ReferenceData.ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains("2025.json", error.Message, StringComparison.Ordinal);
            Assert.Contains("2024-10-01", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_escalation_ladder_comes_from_the_policy_file_alone_and_a_file_without_one_stops_the_load()
    {
        var ladder = ShippedData.Set.Policies.Ladder;
        Assert.Equal([50, 75], ladder.WarningPercents);
        Assert.Equal([(1, 0), (2, 7), (3, 30)], ladder.Steps.Select(s => (s.Level, s.DaysAfterBreach)));

        var folder = CopyOfShippedData();
        try
        {
            var policies = Path.Combine(folder.FullName, "policies.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(policies), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
            json.Remove("escalation");
            File.WriteAllText(policies, json.ToJsonString());
            var error = Assert.Throws<InvalidDataException>(() => Domain.ReferenceData.ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains("policies.json", error.Message, StringComparison.Ordinal);
            Assert.Contains("escalation", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, "no mailAtOnceFromLevel")]
    [InlineData(9, "mailAtOnceFromLevel 9 is not a level")]
    public void A_policy_file_without_the_level_mailed_at_once_or_with_one_off_the_ladder_stops_the_load(int? level, string expected)
    {
        var folder = CopyOfShippedData();
        try
        {
            var policies = Path.Combine(folder.FullName, "policies.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(policies), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
            var escalation = json["escalation"]!.AsObject();
            escalation.Remove("mailAtOnceFromLevel");
            if (level is { } l)
            {
                escalation["mailAtOnceFromLevel"] = l;
            }

            File.WriteAllText(policies, json.ToJsonString());
            var error = Assert.Throws<InvalidDataException>(() => Domain.ReferenceData.ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains("policies.json", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{\"mailAtOnceFromLevel\": 3}", "mailAtOnceFromLevel is set once, in the default")]
    [InlineData("{\"default\": true, \"warningPercents\": [50]}", "an escalation that is the default sets nothing else")]
    [InlineData("{\"steps\": []}", "an escalation ladder with no steps")]
    public void A_policys_own_ladder_that_breaks_a_rule_stops_the_load_naming_the_policy(string escalation, string expected)
    {
        var folder = CopyOfShippedData();
        try
        {
            var policies = Path.Combine(folder.FullName, "policies.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(policies), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
            var cets = json["policies"]!.AsArray().Single(p => p!["legalBasis"]!.GetValue<string>() == "cets224-traffic")!.AsObject();
            cets["escalation"] = System.Text.Json.Nodes.JsonNode.Parse(escalation);
            File.WriteAllText(policies, json.ToJsonString());
            var error = Assert.Throws<InvalidDataException>(() => Domain.ReferenceData.ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains("policies.json: cets224-traffic", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static DirectoryInfo CopyOfShippedData()
    {
        var folder = Directory.CreateTempSubdirectory("ma-refdata-");
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ReferenceData"), "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder.FullName, Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "ReferenceData"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }
}
