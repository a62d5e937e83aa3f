-- 0024: the deadline board can show the clocks whose due time may still move (issue 24).
--
-- A clock's due time computed over a provisional calendar year (days computed from the law while the year's decree
-- or notice is awaited, lunar dates estimated) or over a year with no calendar at all (weekends only) says so; the
-- read model keeps that as provisional_calendar, so that GET /api/deadlines?provisionalCalendar=true lists them.
-- Existing rows start false and take the flag at their request's next write (a deployment of calendar files
-- queues a recalculation of the clocks they can move, which writes them).
--
-- readmodel_apply is 0010's function with the one new column read from each clock's projection
-- ("provisionalCalendar", absent = false) and compared in the unchanged-row test.
ALTER TABLE request_clocks ADD COLUMN IF NOT EXISTS provisional_calendar boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION readmodel_apply(p_batch jsonb)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    item        jsonb;
    v_id        uuid;
    v_count     int4;
    v_applied   int4 := 0;

BEGIN
    FOR item IN
        SELECT value FROM jsonb_array_elements(p_batch)
        ORDER BY (value ->> 'requestId')::uuid, (value ->> 'version')::int4
    LOOP
        v_id := (item ->> 'requestId')::uuid;
        INSERT INTO request_summaries AS s
            (request_id, version, status, requesting_authority, requested_authority, legal_basis, urgency, subject,
             filed_at, received_at, escalation_level, next_event_at, changed_at, projected_at)
        VALUES
            (v_id, (item ->> 'version')::int4, item ->> 'status', item ->> 'requestingAuthority', item ->> 'requestedAuthority',
             item ->> 'legalBasis', item ->> 'urgency', item ->> 'subject', (item ->> 'filedAt')::timestamptz,
             (item ->> 'receivedAt')::timestamptz, (item ->> 'escalationLevel')::int4, (item ->> 'nextEventAt')::timestamptz,
             (item ->> 'changedAt')::timestamptz, now())
        ON CONFLICT (request_id) DO UPDATE
            SET version = EXCLUDED.version, status = EXCLUDED.status,
                requesting_authority = EXCLUDED.requesting_authority, requested_authority = EXCLUDED.requested_authority,
                legal_basis = EXCLUDED.legal_basis, urgency = EXCLUDED.urgency, subject = EXCLUDED.subject,
                filed_at = EXCLUDED.filed_at, received_at = EXCLUDED.received_at, escalation_level = EXCLUDED.escalation_level,
                next_event_at = EXCLUDED.next_event_at, changed_at = EXCLUDED.changed_at, projected_at = now()
            WHERE s.version < EXCLUDED.version;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count > 0 THEN
            -- Clocks the request no longer has (a clock is never removed today; kept for rebuilt projections).
            DELETE FROM request_clocks c
             WHERE c.request_id = v_id
               AND c.clock_id <> ALL (SELECT (x ->> 'clockId')::int4 FROM jsonb_array_elements(item -> 'clocks') x);
            -- New clocks, and clocks of which something changed; identical rows are left untouched.
            INSERT INTO request_clocks AS c
                (request_id, clock_id, kind, responsible_authority, responsible_side, state, started_at, due_at,
                 stopped_at, breached_at, escalation_level, requesting_authority, requested_authority, provisional_calendar)
            SELECT v_id, j."clockId", j.kind, j."responsibleAuthority", j."responsibleSide", j.state, j."startedAt",
                   j."dueAt", j."stoppedAt", j."breachedAt", j."escalationLevel",
                   item ->> 'requestingAuthority', item ->> 'requestedAuthority', coalesce(j."provisionalCalendar", false)
              FROM jsonb_to_recordset(item -> 'clocks') AS j
                   ("clockId" int4, kind text, "responsibleAuthority" text, "responsibleSide" text, state text,
                    "startedAt" timestamptz, "dueAt" timestamptz, "stoppedAt" timestamptz, "breachedAt" timestamptz,
                    "escalationLevel" int4, "provisionalCalendar" boolean)
            ON CONFLICT (request_id, clock_id) DO UPDATE
                SET kind = EXCLUDED.kind, responsible_authority = EXCLUDED.responsible_authority,
                    responsible_side = EXCLUDED.responsible_side, state = EXCLUDED.state, started_at = EXCLUDED.started_at,
                    due_at = EXCLUDED.due_at, stopped_at = EXCLUDED.stopped_at, breached_at = EXCLUDED.breached_at,
                    escalation_level = EXCLUDED.escalation_level, requesting_authority = EXCLUDED.requesting_authority,
                    requested_authority = EXCLUDED.requested_authority, provisional_calendar = EXCLUDED.provisional_calendar
                WHERE (c.kind, c.responsible_authority, c.responsible_side, c.state, c.started_at, c.due_at, c.stopped_at,
                       c.breached_at, c.escalation_level, c.requesting_authority, c.requested_authority, c.provisional_calendar)
                      IS DISTINCT FROM
                      (EXCLUDED.kind, EXCLUDED.responsible_authority, EXCLUDED.responsible_side, EXCLUDED.state,
                       EXCLUDED.started_at, EXCLUDED.due_at, EXCLUDED.stopped_at, EXCLUDED.breached_at,
                       EXCLUDED.escalation_level, EXCLUDED.requesting_authority, EXCLUDED.requested_authority,
                       EXCLUDED.provisional_calendar);
            v_applied := v_applied + 1;
        END IF;
    END LOOP;

    RETURN v_applied;
END;
$$;
