using System.Collections.Immutable;
using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Contracts.Requests;
using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// An authority's open clocks from the read model, earliest due first (so the overdue ones come first), paused
/// ones last. Each side the authority is on is read through its own index; the working days are counted on
/// the responsible authority's calendar by the silos' reference data.
/// </summary>
public sealed class DeadlineBoard(NpgsqlDataSource dataSource, IClusterClient cluster, AuthorityChanges changes, TimeProvider time)
{
    /// <summary>What the board shows: <paramref name="Side"/> null is both sides the authority is on.</summary>
    public sealed record Filter(string Authority, Side? Side, TimeSpan? Within, bool? Overdue, int MinEscalationLevel, string? Partner, string? LegalBasis, int Limit, DeadlineCursor? After, bool? ProvisionalCalendar = null);

    private static readonly string Branch = ClockStates.Fill("""
        SELECT c.request_id, s.subject, c.{other} AS partner, '{side}' AS side, c.kind, c.clock_id, c.responsible_authority,
               c.responsible_side, s.status, s.legal_basis, c.state, c.due_at, c.escalation_level, c.provisional_calendar
          FROM request_clocks c JOIN request_summaries s ON s.request_id = c.request_id
         WHERE c.{party} = @authority AND c.state IN {open}
           AND (@within::interval IS NULL OR c.due_at <= @now + @within)
           AND (@overdue::boolean IS NULL OR (c.due_at IS NOT NULL AND c.due_at < @now) = @overdue)
           AND c.escalation_level >= @min_level
           AND (@partner::text IS NULL OR c.{other} = @partner)
           AND (@basis::text IS NULL OR s.legal_basis = @basis)
           AND (@provisional::boolean IS NULL OR c.provisional_calendar = @provisional)
           AND (@after_id::uuid IS NULL
                OR (@after_due::timestamptz IS NULL AND c.due_at IS NULL AND (c.request_id, c.clock_id) > (@after_id, @after_clock))
                OR (@after_due::timestamptz IS NOT NULL AND (c.due_at IS NULL OR c.due_at > @after_due
                    OR (c.due_at = @after_due AND (c.request_id, c.clock_id) > (@after_id, @after_clock)))))
         ORDER BY c.due_at NULLS LAST, c.request_id, c.clock_id
         LIMIT @take
        """);

    private static readonly string Requesting = Branch.Replace("{party}", "requesting_authority", StringComparison.Ordinal)
        .Replace("{other}", "requested_authority", StringComparison.Ordinal).Replace("{side}", "requesting", StringComparison.Ordinal);

    private static readonly string Requested = Branch.Replace("{party}", "requested_authority", StringComparison.Ordinal)
        .Replace("{other}", "requesting_authority", StringComparison.Ordinal).Replace("{side}", "requested", StringComparison.Ordinal);

    /// <summary>
    /// How many changes the authority's data has seen: from memory while the change notifications flow, else
    /// its counter rows (authority_version); never a clock read.
    /// </summary>
    public async Task<long> VersionOf(string authority, CancellationToken cancellationToken)
    {
        if (changes.TryGetVersion(authority, out var known))
        {
            return known;
        }

        var changesBefore = changes.ChangesMadeHere(authority);
        await using var command = dataSource.CreateCommand("SELECT authority_version(@authority)");
        command.Parameters.AddWithValue("authority", authority);
        var version = await command.ExecuteScalarAsync(cancellationToken) is long stored ? stored : 0;
        changes.Remember(authority, version, changesBefore);
        return version;
    }

    public async Task<DeadlinePage> Read(Filter filter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sql = filter.Side switch
        {
            Contracts.Requests.Side.Requesting => Requesting,
            Contracts.Requests.Side.Requested => Requested,
            _ => $"SELECT * FROM (({Requesting}) UNION ALL ({Requested})) board ORDER BY due_at NULLS LAST, request_id, clock_id LIMIT @take",
        };

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("authority", filter.Authority);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan?>("within", filter.Within));
        command.Parameters.Add(new NpgsqlParameter<bool?>("overdue", filter.Overdue));
        command.Parameters.AddWithValue("min_level", filter.MinEscalationLevel);
        command.Parameters.Add(new NpgsqlParameter<string?>("partner", filter.Partner));
        command.Parameters.Add(new NpgsqlParameter<string?>("basis", filter.LegalBasis));
        command.Parameters.Add(new NpgsqlParameter<bool?>("provisional", filter.ProvisionalCalendar));
        command.Parameters.Add(new NpgsqlParameter<Guid?>("after_id", filter.After?.RequestId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("after_due", filter.After?.DueAt));
        command.Parameters.AddWithValue("after_clock", filter.After?.ClockId ?? 0);
        command.Parameters.AddWithValue("take", filter.Limit + 1);

        var rows = new List<DeadlineItem>(filter.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var due = reader.IsDBNull(11) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(11);
                rows.Add(new DeadlineItem
                {
                    RequestId = reader.GetGuid(0), Subject = reader.GetString(1), PartnerAuthority = reader.GetString(2), Side = reader.GetString(3),
                    Clock = reader.GetString(4), ClockId = reader.GetInt32(5), ResponsibleAuthority = reader.GetString(6), ResponsibleSide = reader.GetString(7),
                    Status = reader.GetString(8), LegalBasis = reader.GetString(9), State = reader.GetString(10), DueAt = due,
                    Overdue = due is { } d && d < now, EscalationLevel = reader.GetInt32(12),
                    ProvisionalCalendar = reader.GetBoolean(13),
                });
            }
        }

        var more = rows.Count > filter.Limit;
        var page = more ? rows[..filter.Limit] : rows;
        var timed = page.Where(r => r.DueAt is not null).ToList();
        var timings = timed.Count == 0 ? [] : await cluster.GetGrain<IReferenceDataGrain>(0)
            .Describe([.. timed.Select(r => new DueQuery(r.ResponsibleAuthority, r.DueAt!.Value))], now);
        var byRow = timed.Zip(timings).ToDictionary(p => (p.First.RequestId, p.First.ClockId), p => p.Second);
        var items = page.Select(r => byRow.TryGetValue((r.RequestId, r.ClockId), out var t)
            ? r with
            {
                DueLocal = t.DueLocal, TimeZone = t.TimeZone,
                OverdueBy = t.Overdue ? new DeadlineItem.Span(t.WorkingDays, t.Hours) : null,
                Remaining = t.Overdue ? null : new DeadlineItem.Span(t.WorkingDays, t.Hours),
            }
            : r).ToImmutableArray();

        var last = page.Count > 0 ? page[^1] : null;
        return new DeadlinePage(items, more && last is not null ? new DeadlineCursor(last.DueAt, last.RequestId, last.ClockId).ToString() : null, now);
    }
}
