-- 0010 (read side): the read model as a request's own commit writes it (request_commit, in the silo's 0010, calls
-- readmodel_apply with the one projection of the change).
--
-- The version of an authority's data, without a hot row. Every commit of a request used to increment the one
-- counter row of each of its two authorities and NOTIFY in its own transaction: commits of the same authority then
-- waited for each other's row lock, and every notifying commit for the database-wide notification lock, both held
-- through the WAL flush (measured: 300 actions/s, waits on Lock:transactionid; spread over 64 rows per authority it
-- was still 645/s, readmodel_apply 4.5 ms a call, most of it waiting). Now the version of an authority is the sum
-- of the versions of the requests it is a party to: every change raises one of them, so the sum grows with every
-- change and is a function of the data (a rebuilt model gives the same ETags for the same boards). It costs the
-- writes nothing; a read sums one index range per side, and the API reads it at most every few seconds per
-- authority (it caches what the notifications tell it). Notifications leave the commit: the silo sends them in
-- batches after the commits (readmodel_notify), as an invalidation of the API's cache.
DROP TABLE IF EXISTS authority_versions;

CREATE OR REPLACE FUNCTION authority_version(p_authority text)
RETURNS int8
LANGUAGE sql STABLE
AS $$
    SELECT coalesce((SELECT sum(version) FROM request_summaries WHERE requesting_authority = p_authority), 0)::int8
         + coalesce((SELECT sum(version) FROM request_summaries WHERE requested_authority = p_authority
                                                                  AND requesting_authority <> p_authority), 0)::int8
$$;

-- Tells listeners (the API) the current version of each of p_authorities: 'authority:version' on authority_changed.
CREATE OR REPLACE FUNCTION readmodel_notify(p_authorities text[])
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_party record;
    v_count int4 := 0;
BEGIN
    FOR v_party IN
        SELECT authority, authority_version(authority) AS version
          FROM (SELECT DISTINCT unnest(p_authorities) AS authority) a ORDER BY authority
    LOOP
        PERFORM pg_notify('authority_changed', v_party.authority || ':' || v_party.version);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

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
                 stopped_at, breached_at, escalation_level, requesting_authority, requested_authority)
            SELECT v_id, j."clockId", j.kind, j."responsibleAuthority", j."responsibleSide", j.state, j."startedAt",
                   j."dueAt", j."stoppedAt", j."breachedAt", j."escalationLevel",
                   item ->> 'requestingAuthority', item ->> 'requestedAuthority'
              FROM jsonb_to_recordset(item -> 'clocks') AS j
                   ("clockId" int4, kind text, "responsibleAuthority" text, "responsibleSide" text, state text,
                    "startedAt" timestamptz, "dueAt" timestamptz, "stoppedAt" timestamptz, "breachedAt" timestamptz,
                    "escalationLevel" int4)
            ON CONFLICT (request_id, clock_id) DO UPDATE
                SET kind = EXCLUDED.kind, responsible_authority = EXCLUDED.responsible_authority,
                    responsible_side = EXCLUDED.responsible_side, state = EXCLUDED.state, started_at = EXCLUDED.started_at,
                    due_at = EXCLUDED.due_at, stopped_at = EXCLUDED.stopped_at, breached_at = EXCLUDED.breached_at,
                    escalation_level = EXCLUDED.escalation_level, requesting_authority = EXCLUDED.requesting_authority,
                    requested_authority = EXCLUDED.requested_authority
                WHERE (c.kind, c.responsible_authority, c.responsible_side, c.state, c.started_at, c.due_at, c.stopped_at,
                       c.breached_at, c.escalation_level, c.requesting_authority, c.requested_authority)
                      IS DISTINCT FROM
                      (EXCLUDED.kind, EXCLUDED.responsible_authority, EXCLUDED.responsible_side, EXCLUDED.state,
                       EXCLUDED.started_at, EXCLUDED.due_at, EXCLUDED.stopped_at, EXCLUDED.breached_at,
                       EXCLUDED.escalation_level, EXCLUDED.requesting_authority, EXCLUDED.requested_authority);
            v_applied := v_applied + 1;
        END IF;
    END LOOP;

    RETURN v_applied;
END;
$$;

