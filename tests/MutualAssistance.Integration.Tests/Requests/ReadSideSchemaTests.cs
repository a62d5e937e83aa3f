using System.Text.RegularExpressions;
using MutualAssistance.ReadSide;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>The read side's clock-state names (<see cref="ClockStates"/>) are the ones its schema's partial indexes select by.</summary>
public sealed partial class ReadSideSchemaTests(DatabaseFixture database)
{
    [Fact]
    public async Task Every_partial_index_on_clock_states_selects_the_open_or_the_ticking_set_by_the_read_sides_names()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("readside_names");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'request_clocks' AND indexdef LIKE '%WHERE%state%'", connection);
        var sets = new Dictionary<string, string[]>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                sets[reader.GetString(0)] = [.. Quoted().Matches(reader.GetString(1)[reader.GetString(1).IndexOf("WHERE", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).Order()];
            }
        }

        Assert.Contains("request_clocks_open", sets.Keys);
        Assert.Contains("request_clocks_responsible_open", sets.Keys);
        string[] open = [.. ClockStates.Open.Order()];
        string[] ticking = [.. ClockStates.Ticking.Order()];
        Assert.All(sets, index => Assert.True(index.Value.SequenceEqual(open) || index.Value.SequenceEqual(ticking), $"{index.Key}: {string.Join(", ", index.Value)}"));
        Assert.Equal(open, sets["request_clocks_open"]);
        Assert.Equal(ticking, sets["request_clocks_responsible_open"]);
    }

    [GeneratedRegex("'([a-z-]+)'::text")]
    private static partial Regex Quoted();
}
