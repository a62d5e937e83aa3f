-- 0013: the node's consultation and disclosure log (issue 15): who read, changed or was sent which request's
-- personal data, when, for what purpose, with what outcome; log-ons and refused accesses. One chain per node.
--
-- Append-only and hash-chained. This migration is the one owner of the hash format: audit_entry_hash computes it,
-- audit_append links a batch under the lock of the head row, audit_verify recomputes the chain. No C# computes it.
-- No personal data of the persons concerned: ids, codes, the callers' staff ids and the purpose they give.

CREATE TABLE IF NOT EXISTS audit_log
(
    sequence      int8        PRIMARY KEY CHECK (sequence > 0),  -- 1, 2, 3, ... without gaps
    at            timestamptz NOT NULL,  -- when the access happened (the hash covers it to the microsecond)
    subject       text        NULL,      -- the caller's staff id (token 'sub'), 'node:<id>' for the node itself; NULL unauthenticated
    authority     text        NULL,      -- the caller's authority code; NULL unauthenticated or the node itself
    role          text        NULL,      -- the caller's role (wire name)
    action        text        NOT NULL,  -- request.read, request.history, request.list, deadlines.board, request.filed, ...
    request_id    uuid        NULL,      -- the request concerned, if any
    parts         text        NULL,      -- which parts were served or sent: subject,facts,persons,history,...
    outcome       text        NOT NULL,  -- served, applied, pending, accepted, delivered, or the refusal's status: 401, 403, 404
    purpose       text        NULL,      -- the caller's X-Purpose (or purpose query value), as given
    recipient     text        NULL,      -- for a disclosure to a peer node: its node id
    previous_hash text        NOT NULL,
    hash          text        NOT NULL
);

CREATE INDEX IF NOT EXISTS audit_log_authority ON audit_log (authority, sequence);
CREATE INDEX IF NOT EXISTS audit_log_request ON audit_log (request_id, sequence) WHERE request_id IS NOT NULL;

-- The chain's head: one row, locked by every append so that appends from every process of the node (API hosts,
-- silos) link one after the other. Verification checks that it matches the last entry (entries cut off the end).
CREATE TABLE IF NOT EXISTS audit_head
(
    id       int4 PRIMARY KEY CHECK (id = 1),
    sequence int8 NOT NULL,
    hash     text NOT NULL
);

INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64)) ON CONFLICT (id) DO NOTHING;

-- Append-only: no entry is changed or removed; the head is moved by audit_append only, never removed. Whoever may
-- disable these triggers can still alter rows: audit_verify catches that.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

DROP TRIGGER IF EXISTS audit_head_kept ON audit_head;
CREATE TRIGGER audit_head_kept
    BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head;
CREATE TRIGGER audit_head_no_truncate
    BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- One field in the hashed text: '-' for NULL, otherwise its length in UTF-8 bytes, ':' and the value, so that no
-- two different entries give the same text (a '|' inside a value cannot pass for a separator).
CREATE OR REPLACE FUNCTION audit_field(p_value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_value IS NULL THEN '-' ELSE octet_length(p_value)::text || ':' || p_value END
$$;

-- The hash of one entry: SHA-256 (lower-case hex) over the UTF-8 text
--   ma-audit-v1|<previous hash>|<sequence>|<at: microseconds since 1970-01-01 UTC>|<subject>|<authority>|<role>|
--   <action>|<request id: lower-case 8-4-4-4-12>|<parts>|<outcome>|<purpose>|<recipient>
-- each text field as audit_field writes it. The epoch does not depend on the session's time zone.
CREATE OR REPLACE FUNCTION audit_entry_hash(
    p_previous_hash text, p_sequence int8, p_at timestamptz, p_subject text, p_authority text, p_role text, p_action text,
    p_request_id uuid, p_parts text, p_outcome text, p_purpose text, p_recipient text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT encode(sha256(convert_to(
        'ma-audit-v1'
        || '|' || audit_field(p_previous_hash)
        || '|' || p_sequence::text
        || '|' || (extract(epoch FROM p_at) * 1000000)::int8::text
        || '|' || audit_field(p_subject)
        || '|' || audit_field(p_authority)
        || '|' || audit_field(p_role)
        || '|' || audit_field(p_action)
        || '|' || audit_field(p_request_id::text)
        || '|' || audit_field(p_parts)
        || '|' || audit_field(p_outcome)
        || '|' || audit_field(p_purpose)
        || '|' || audit_field(p_recipient),
        'UTF8')), 'hex')
$$;

-- Appends a batch (arrays of equal length, one element per entry, in order) after the head, in one statement and
-- one round trip: the head row is locked until the transaction commits, so concurrent batches chain one after the
-- other. Returns the sequence of the batch's last entry.
CREATE OR REPLACE FUNCTION audit_append(
    p_at         timestamptz[],
    p_subject    text[],
    p_authority  text[],
    p_role       text[],
    p_action     text[],
    p_request_id uuid[],
    p_parts      text[],
    p_outcome    text[],
    p_purpose    text[],
    p_recipient  text[])
RETURNS int8
LANGUAGE plpgsql
AS $$
DECLARE
    v_count    int := coalesce(cardinality(p_at), 0);
    v_sequence int8;
    v_hash     text;
    v_sequences int8[] := ARRAY[]::int8[];
    v_previous text[] := ARRAY[]::text[];
    v_hashes   text[] := ARRAY[]::text[];
BEGIN
    IF v_count = 0 THEN
        RETURN NULL;
    END IF;

    IF coalesce(cardinality(p_subject), 0) <> v_count OR coalesce(cardinality(p_authority), 0) <> v_count
       OR coalesce(cardinality(p_role), 0) <> v_count OR coalesce(cardinality(p_action), 0) <> v_count
       OR coalesce(cardinality(p_request_id), 0) <> v_count OR coalesce(cardinality(p_parts), 0) <> v_count
       OR coalesce(cardinality(p_outcome), 0) <> v_count OR coalesce(cardinality(p_purpose), 0) <> v_count
       OR coalesce(cardinality(p_recipient), 0) <> v_count THEN
        RAISE EXCEPTION 'audit_append: the arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    SELECT h.sequence, h.hash INTO v_sequence, v_hash FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    FOR i IN 1 .. v_count LOOP
        v_previous := v_previous || v_hash;
        v_sequence := v_sequence + 1;
        v_hash := audit_entry_hash(v_hash, v_sequence, p_at[i], p_subject[i], p_authority[i], p_role[i], p_action[i],
                                   p_request_id[i], p_parts[i], p_outcome[i], p_purpose[i], p_recipient[i]);
        v_sequences := v_sequences || v_sequence;
        v_hashes := v_hashes || v_hash;
    END LOOP;

    INSERT INTO audit_log (sequence, at, subject, authority, role, action, request_id, parts, outcome, purpose, recipient, previous_hash, hash)
    SELECT * FROM unnest(v_sequences, p_at, p_subject, p_authority, p_role, p_action, p_request_id, p_parts, p_outcome, p_purpose,
                         p_recipient, v_previous, v_hashes);

    UPDATE audit_head SET sequence = v_sequence, hash = v_hash WHERE id = 1;
    RETURN v_sequence;
END;
$$;

-- Recomputes the whole chain, oldest first: every entry must follow the one before it (sequence + 1, its previous
-- hash that entry's hash), its hash must match its fields, and the head must name the last entry. Returns how many
-- entries were checked and the first sequence that breaks the chain (NULL when it holds: a missing entry is named by
-- its own sequence), with what is wrong.
CREATE OR REPLACE FUNCTION audit_verify()
RETURNS TABLE (entries int8, broken_at int8, detail text)
LANGUAGE sql STABLE
AS $$
    WITH chain AS (
        SELECT a.sequence,
               a.hash,
               a.previous_hash,
               lag(a.sequence, 1, 0::int8) OVER w AS prior_sequence,
               lag(a.hash, 1, repeat('0', 64)) OVER w AS prior_hash,
               audit_entry_hash(a.previous_hash, a.sequence, a.at, a.subject, a.authority, a.role, a.action, a.request_id,
                                a.parts, a.outcome, a.purpose, a.recipient) AS recomputed
          FROM audit_log a
        WINDOW w AS (ORDER BY a.sequence)
    ),
    first_break AS (
        SELECT CASE WHEN c.sequence <> c.prior_sequence + 1 THEN c.prior_sequence + 1 ELSE c.sequence END AS sequence,
               CASE WHEN c.sequence <> c.prior_sequence + 1 THEN 'the entry is missing (the next one stored is ' || c.sequence || ')'
                    WHEN c.previous_hash <> c.prior_hash THEN 'the entry does not link to the one before it'
                    ELSE 'the entry''s fields do not match its hash' END AS detail
          FROM chain c
         WHERE c.sequence <> c.prior_sequence + 1 OR c.previous_hash <> c.prior_hash OR c.hash <> c.recomputed
         ORDER BY c.sequence
         LIMIT 1
    ),
    last_entry AS (
        SELECT coalesce(max(a.sequence), 0) AS sequence,
               coalesce((SELECT l.hash FROM audit_log l ORDER BY l.sequence DESC LIMIT 1), repeat('0', 64)) AS hash,
               count(*) AS entries
          FROM audit_log a
    )
    SELECT l.entries,
           coalesce(b.sequence, CASE WHEN h.sequence <> l.sequence OR h.hash <> l.hash THEN l.sequence + 1 END),
           coalesce(b.detail, CASE WHEN h.sequence <> l.sequence OR h.hash <> l.hash
                                   THEN 'the log ends before its head (entries removed from its end)' END)
      FROM last_entry l
      CROSS JOIN audit_head h
      LEFT JOIN first_break b ON true
     WHERE h.id = 1
$$;
