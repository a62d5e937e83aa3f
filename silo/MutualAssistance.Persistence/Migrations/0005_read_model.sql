-- 0005: the read model of the requests: what lists, deadline boards and reports read.
--
-- Written only by the request grains (through readmodel_apply), each write carrying the request version:
-- an older version never overwrites a newer one, so replays and out-of-order deliveries are harmless.
-- authority_versions counts changes per authority, so that a dashboard polling one authority can learn
-- "nothing changed" from one row (its ETag) without reading any clock.

CREATE TABLE IF NOT EXISTS request_summaries
(
    request_id           uuid        PRIMARY KEY,
    version              int4        NOT NULL CHECK (version > 0),
    status               text        NOT NULL,
    requesting_authority text        NOT NULL,
    requested_authority  text        NOT NULL,
    legal_basis          text        NOT NULL,
    urgency              text        NOT NULL,
    subject              text        NOT NULL,
    filed_at             timestamptz NOT NULL,
    received_at          timestamptz NOT NULL,
    escalation_level     int4        NOT NULL,
    next_event_at        timestamptz NULL,
    changed_at           timestamptz NOT NULL,
    projected_at         timestamptz NOT NULL DEFAULT now()
);

-- Newest first per party, with the id as tie-breaker for cursor paging.
CREATE INDEX IF NOT EXISTS request_summaries_requesting ON request_summaries (requesting_authority, filed_at DESC, request_id DESC);
CREATE INDEX IF NOT EXISTS request_summaries_requested  ON request_summaries (requested_authority, filed_at DESC, request_id DESC);
-- The sweep: requests whose next clock event is due.
CREATE INDEX IF NOT EXISTS request_summaries_next_event ON request_summaries (next_event_at) WHERE next_event_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS request_clocks
(
    request_id            uuid        NOT NULL REFERENCES request_summaries (request_id) ON DELETE CASCADE,
    clock_id              int4        NOT NULL,
    kind                  text        NOT NULL,
    responsible_authority text        NOT NULL,
    responsible_side      text        NOT NULL,
    state                 text        NOT NULL,
    started_at            timestamptz NOT NULL,
    due_at                timestamptz NULL,
    stopped_at            timestamptz NULL,
    breached_at           timestamptz NULL,
    escalation_level      int4        NOT NULL,
    PRIMARY KEY (request_id, clock_id)
);

-- Open clocks by due time (deadline boards); closed clocks by kind for reports.
CREATE INDEX IF NOT EXISTS request_clocks_open ON request_clocks (due_at, request_id) WHERE state IN ('running', 'paused', 'breached');
CREATE INDEX IF NOT EXISTS request_clocks_stopped ON request_clocks (stopped_at) WHERE stopped_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS authority_versions
(
    authority  text        PRIMARY KEY,
    version    int8        NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Applies a batch of projections (a JSON array, one object per request version). Returns how many were
-- newer than what the model held. Rows are taken in request order and authorities counted in name order,
-- so that concurrent batches from several silos lock in the same order.
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
                 stopped_at, breached_at, escalation_level)
            SELECT v_id, c."clockId", c.kind, c."responsibleAuthority", c."responsibleSide", c.state, c."startedAt",
                   c."dueAt", c."stoppedAt", c."breachedAt", c."escalationLevel"
              FROM jsonb_to_recordset(item -> 'clocks') AS c
                   ("clockId" int4, kind text, "responsibleAuthority" text, "responsibleSide" text, state text,
                    "startedAt" timestamptz, "dueAt" timestamptz, "stoppedAt" timestamptz, "breachedAt" timestamptz,
                    "escalationLevel" int4);
            v_parties := v_parties || ARRAY[item ->> 'requestingAuthority', item ->> 'requestedAuthority'];
            v_applied := v_applied + 1;
        END IF;
    END LOOP;

    INSERT INTO authority_versions AS a (authority, version, changed_at)
    SELECT party, 1, now() FROM (SELECT DISTINCT unnest(v_parties) AS party) p ORDER BY party
    ON CONFLICT (authority) DO UPDATE SET version = a.version + 1, changed_at = now();

    RETURN v_applied;
END;
$$;
