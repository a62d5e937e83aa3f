using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MutualAssistance.Load;

/// <summary>Prints the parts as a table, with our figures as ratios of the machine's limits, and writes them as JSON.</summary>
public static class Report
{
    public static string Table(IReadOnlyList<PartResult> parts, PartResult? pgbench, PartResult? bare)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"part",-22} {"conns",5} {"ops/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}  errors");
        foreach (var p in parts.Concat(new[] { pgbench, bare }.OfType<PartResult>()))
        {
            var errors = p.Errors.Count == 0 ? "-" : string.Join(' ', p.Errors.Select(e => $"{e.Key}:{e.Value}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"{p.Name,-22} {p.Connections,5} {p.PerSecond,9:F1} {p.P50Ms,8:F2} {p.P90Ms,8:F2} {p.P99Ms,8:F2} {p.MaxMs,8:F2}  {errors}");
        }

        foreach (var (name, ratio) in Ratios(parts, pgbench, bare))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{name}: {ratio:F2}");
        }

        return text.ToString();
    }

    public static IEnumerable<(string Name, double Ratio)> Ratios(IReadOnlyList<PartResult> parts, PartResult? pgbench, PartResult? bare)
    {
        if (pgbench is not null && parts.FirstOrDefault(p => p.Name == "act") is { } act)
        {
            yield return ("act / pgbench upsert (target >= 0.5)", act.PerSecond / pgbench.PerSecond);
        }

        if (bare is not null && parts.FirstOrDefault(p => p.Name == "get") is { } get)
        {
            yield return ("get / bare GET (target >= 0.5)", get.PerSecond / bare.PerSecond);
        }

        if (bare is not null && parts.FirstOrDefault(p => p.Name == "poll") is { } poll)
        {
            yield return ("poll (304) / bare GET (target >= 0.8)", poll.PerSecond / bare.PerSecond);
        }
    }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task Json(string path, object result) => await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Indented));
}
