using System.Globalization;
using System.Text;
using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// What states owe each other: for the clocks of the caller's authority's requests that started in [from, to),
/// per partner authority, legal basis and clock kind, how many were met on time, how many were breached (met
/// late or still running past due), the median and 90th percentile of days taken by those met, and how many are
/// open and overdue now.
/// </summary>
public sealed class BreachReport(NpgsqlDataSource dataSource, TimeProvider time)
{
    public sealed record Row(string PartnerAuthority, string LegalBasis, string Clock, string ResponsibleSide, long MetOnTime, long Breached, double? MedianDays, double? P90Days, long OpenOverdue);

    public sealed record Report(DateOnly From, DateOnly To, IReadOnlyList<Row> Rows);

    private static readonly string Sql = ClockStates.Fill("""
        SELECT partner, s.legal_basis, c.kind, c.responsible_side,
               count(*) FILTER (WHERE c.state = 'met' AND c.breached_at IS NULL) AS met_on_time,
               count(*) FILTER (WHERE c.breached_at IS NOT NULL OR (c.state IN {ticking} AND c.due_at < @now)) AS breached,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.stopped_at - c.started_at) / 86400) FILTER (WHERE c.state = 'met') AS median_days,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.stopped_at - c.started_at) / 86400) FILTER (WHERE c.state = 'met') AS p90_days,
               count(*) FILTER (WHERE c.state IN {ticking} AND c.due_at < @now) AS open_overdue
          FROM (SELECT c.*, c.requested_authority AS partner FROM request_clocks c WHERE c.requesting_authority = @authority
                UNION ALL
                SELECT c.*, c.requesting_authority AS partner FROM request_clocks c WHERE c.requested_authority = @authority) c
          JOIN request_summaries s ON s.request_id = c.request_id
         WHERE c.started_at >= @from AND c.started_at < @to AND c.state <> 'cancelled'
         GROUP BY partner, s.legal_basis, c.kind, c.responsible_side
         ORDER BY partner, s.legal_basis, c.kind, c.responsible_side
        """);

    public async Task<Report> Read(string authority, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("authority", authority);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.AddWithValue("from", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("to", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : Math.Round(reader.GetDouble(6), 1), reader.IsDBNull(7) ? null : Math.Round(reader.GetDouble(7), 1), reader.GetInt64(8)));
        }

        return new Report(from, to, rows);
    }

    public static string Csv(Report report)
    {
        var csv = new StringBuilder("partnerAuthority,legalBasis,clock,responsibleSide,metOnTime,breached,medianDays,p90Days,openOverdue\n");
        foreach (var r in report.Rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.PartnerAuthority},{r.LegalBasis},{r.Clock},{r.ResponsibleSide},{r.MetOnTime},{r.Breached},{r.MedianDays},{r.P90Days},{r.OpenOverdue}\n");
        }

        return csv.ToString();
    }
}
