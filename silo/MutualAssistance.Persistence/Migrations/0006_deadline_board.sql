-- 0006: what the deadline boards and their polling need.
--
-- The parties of a request are copied onto its clocks, so that one authority's open clocks are read through
-- an index of their own ordered by due time (overdue first, since they are due earliest), whichever side the
-- authority is on. readmodel_apply now also announces each changed authority (NOTIFY authority_changed,
-- payload "AUTHORITY:VERSION") for screens that listen instead of polling.

ALTER TABLE request_clocks ADD COLUMN IF NOT EXISTS requesting_authority text;
ALTER TABLE request_clocks ADD COLUMN IF NOT EXISTS requested_authority text;

UPDATE request_clocks c
   SET requesting_authority = s.requesting_authority, requested_authority = s.requested_authority
  FROM request_summaries s
 WHERE s.request_id = c.request_id AND c.requesting_authority IS NULL;

ALTER TABLE request_clocks ALTER COLUMN requesting_authority SET NOT NULL;
ALTER TABLE request_clocks ALTER COLUMN requested_authority SET NOT NULL;

CREATE INDEX IF NOT EXISTS request_clocks_open_requesting ON request_clocks (requesting_authority, due_at, request_id, clock_id)
    WHERE state IN ('running', 'paused', 'breached');
CREATE INDEX IF NOT EXISTS request_clocks_open_requested ON request_clocks (requested_authority, due_at, request_id, clock_id)
    WHERE state IN ('running', 'paused', 'breached');
-- Reports: one authority's clocks by start.
CREATE INDEX IF NOT EXISTS request_clocks_requesting_started ON request_clocks (requesting_authority, started_at);
CREATE INDEX IF NOT EXISTS request_clocks_requested_started ON request_clocks (requested_authority, started_at);

CREATE OR REPLACE FUNCTION readmodel_apply(p_batch jsonb)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    item        jsonb;
    v_id        uuid;
    v_count     int4;
    v_applied   int4 := 0;
    v_parties   text[] := '{}';
    v_party     record;
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
            DELETE FROM request_clocks WHERE request_id = v_id;
            INSERT INTO request_clocks
                (request_id, clock_id, kind, responsible_authority, responsible_side, state, started_at, due_at,
                 stopped_at, breached_at, escalation_level, requesting_authority, requested_authority)
            SELECT v_id, c."clockId", c.kind, c."responsibleAuthority", c."responsibleSide", c.state, c."startedAt",
                   c."dueAt", c."stoppedAt", c."breachedAt", c."escalationLevel",
                   item ->> 'requestingAuthority', item ->> 'requestedAuthority'
              FROM jsonb_to_recordset(item -> 'clocks') AS c
                   ("clockId" int4, kind text, "responsibleAuthority" text, "responsibleSide" text, state text,
                    "startedAt" timestamptz, "dueAt" timestamptz, "stoppedAt" timestamptz, "breachedAt" timestamptz,
                    "escalationLevel" int4);
            v_parties := v_parties || ARRAY[item ->> 'requestingAuthority', item ->> 'requestedAuthority'];
            v_applied := v_applied + 1;
        END IF;
    END LOOP;

    FOR v_party IN
        INSERT INTO authority_versions AS a (authority, version, changed_at)
        SELECT party, 1, now() FROM (SELECT DISTINCT unnest(v_parties) AS party) p ORDER BY party
        ON CONFLICT (authority) DO UPDATE SET version = a.version + 1, changed_at = now()
        RETURNING a.authority, a.version
    LOOP
        PERFORM pg_notify('authority_changed', v_party.authority || ':' || v_party.version);
    END LOOP;

    RETURN v_applied;
END;
$$;
