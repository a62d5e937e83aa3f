-- 0022: each history event keeps its typed payload (HistoryEvent, as JSON: HistoryEventJson) beside its text, so
-- that the notifier reads an escalation's level from it instead of parsing the text.
--
-- The text columns stay as they are: the hash covers them (a peer on the previous release recomputes it from them,
-- and they are what the exchange carries); the payload is bound to the chain by making exactly that text (checked
-- by GET …/history/verification). Rows written before this migration, or by a silo of the previous release while
-- both run, have no payload (NULL): they are read from their text in one place (HistoryEventText).
ALTER TABLE request_events ADD COLUMN IF NOT EXISTS payload jsonb NULL;

-- The commit as before (0010's request_commit_change, 0011's request_commit), with one payload per event. The
-- previous signatures stay for a silo of the previous release still running during a deployment (its rows get NULL).
CREATE OR REPLACE FUNCTION request_commit_change(
    p_request_id        uuid,
    p_expected_version  int4,
    p_version           int4,
    p_payload           bytea,
    p_sequence          int4[],
    p_at                timestamptz[],
    p_at_ticks          int8[],
    p_event             text[],
    p_actor_subject     text[],
    p_actor_authority   text[],
    p_actor_role        text[],
    p_reason            text[],
    p_status_before     text[],
    p_status_after      text[],
    p_clock_changes     jsonb[],
    p_previous_hash     text[],
    p_hash              text[],
    p_projection        jsonb,
    p_event_payload     jsonb[])
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO request_state (request_id, version, payload, changed_at)
        VALUES (p_request_id, p_version, p_payload, now())
        ON CONFLICT (request_id) DO NOTHING;
    ELSE
        UPDATE request_state
           SET version = p_version, payload = p_payload, changed_at = now()
         WHERE request_id = p_request_id
           AND version = p_expected_version;
    END IF;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO request_events
        (request_id, sequence, at, at_ticks, event, actor_subject, actor_authority, actor_role, reason,
         status_before, status_after, clock_changes, previous_hash, hash, payload)
    SELECT p_request_id, e.sequence, e.at, e.at_ticks, e.event, e.actor_subject, e.actor_authority, e.actor_role, e.reason,
           e.status_before, e.status_after,
           ARRAY(SELECT jsonb_array_elements_text(e.clock_changes)), e.previous_hash, e.hash, e.payload
      FROM unnest(p_sequence, p_at, p_at_ticks, p_event, p_actor_subject, p_actor_authority, p_actor_role, p_reason,
                  p_status_before, p_status_after, p_clock_changes, p_previous_hash, p_hash, p_event_payload)
           AS e (sequence, at, at_ticks, event, actor_subject, actor_authority, actor_role, reason,
                 status_before, status_after, clock_changes, previous_hash, hash, payload);

    -- The read-model rows (the read side's function, MutualAssistance.ReadSide/Schema).
    PERFORM readmodel_apply(jsonb_build_array(p_projection));
    RETURN true;
END;
$$;

CREATE OR REPLACE FUNCTION request_commit(
    p_request_id        uuid,
    p_expected_version  int4,
    p_version           int4,
    p_payload           bytea,
    p_sequence          int4[],
    p_at                timestamptz[],
    p_at_ticks          int8[],
    p_event             text[],
    p_actor_subject     text[],
    p_actor_authority   text[],
    p_actor_role        text[],
    p_reason            text[],
    p_status_before     text[],
    p_status_after      text[],
    p_clock_changes     jsonb[],
    p_previous_hash     text[],
    p_hash              text[],
    p_projection        jsonb,
    p_peer              text,
    p_peer_has          int4,
    p_event_payload     jsonb[])
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_head int4;
BEGIN
    IF NOT request_commit_change(p_request_id, p_expected_version, p_version, p_payload, p_sequence, p_at, p_at_ticks,
                                 p_event, p_actor_subject, p_actor_authority, p_actor_role, p_reason, p_status_before,
                                 p_status_after, p_clock_changes, p_previous_hash, p_hash, p_projection, p_event_payload) THEN
        RETURN false;
    END IF;

    IF p_peer IS NOT NULL AND cardinality(p_sequence) > 0 THEN
        v_head := p_sequence[cardinality(p_sequence)];
        INSERT INTO exchange_outbox AS o (request_id, peer, head_sequence, delivered_sequence, pending_since, next_attempt_at)
        VALUES (p_request_id, p_peer, v_head, coalesce(p_peer_has, 0),
                CASE WHEN coalesce(p_peer_has, 0) < v_head THEN now() END, now())
        ON CONFLICT (request_id, peer) DO UPDATE
           SET head_sequence      = greatest(o.head_sequence, EXCLUDED.head_sequence),
               delivered_sequence = greatest(o.delivered_sequence, EXCLUDED.delivered_sequence),
               pending_since      = CASE WHEN greatest(o.delivered_sequence, EXCLUDED.delivered_sequence) >= greatest(o.head_sequence, EXCLUDED.head_sequence)
                                         THEN NULL ELSE coalesce(o.pending_since, now()) END,
               -- A peer that has been failing keeps its backoff; otherwise the new events go at once.
               next_attempt_at    = CASE WHEN o.attempts > 0 THEN o.next_attempt_at ELSE now() END;
    END IF;

    RETURN true;
END;
$$;
