-- 0019: aggregate entries in the consultation log. Calls refused before anyone was authenticated (401s) are counted
-- per source (the client's address) and window, and appended as ONE access.refused entry with the count, not one
-- chained entry per call: an anonymous flood must not grow the append-only log by a row per call. Two columns:
--   source: the client address the counted calls came from (NULL: not an aggregate, or the address was unknown);
--   calls:  how many calls the entry stands for (NULL: one call, every entry before this migration).
--
-- The hash (still owned here alone) covers them. An entry with both NULL is hashed exactly as 0013 documents
-- ('ma-audit-v1|...|<recipient>'), so every existing entry verifies unchanged; an aggregate's text goes on with
-- '|<source>|<calls>', each written by audit_field (length-prefixed, so no entry's text can pass for another's).
-- audit_append takes the two new arrays last, with defaults: a process still on the previous release (a rolling
-- restart) appends as before.

ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS source text NULL;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS calls int4 NULL CHECK (calls > 0);

DROP FUNCTION IF EXISTS audit_entry_hash(text, int8, timestamptz, text, text, text, text, uuid, text, text, text, text);
DROP FUNCTION IF EXISTS audit_append(timestamptz[], text[], text[], text[], text[], uuid[], text[], text[], text[], text[]);

-- The hash of one entry: SHA-256 (lower-case hex) over the UTF-8 text
--   ma-audit-v1|<previous hash>|<sequence>|<at: microseconds since 1970-01-01 UTC>|<subject>|<authority>|<role>|
--   <action>|<request id: lower-case 8-4-4-4-12>|<parts>|<outcome>|<purpose>|<recipient>
-- and, for an aggregate only (source or calls set), |<source>|<calls: decimal>; each text field as audit_field
-- writes it. The epoch does not depend on the session's time zone.
CREATE OR REPLACE FUNCTION audit_entry_hash(
    p_previous_hash text, p_sequence int8, p_at timestamptz, p_subject text, p_authority text, p_role text, p_action text,
    p_request_id uuid, p_parts text, p_outcome text, p_purpose text, p_recipient text,
    p_source text DEFAULT NULL, p_calls int4 DEFAULT NULL)
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
        || '|' || audit_field(p_recipient)
        || CASE WHEN p_source IS NULL AND p_calls IS NULL THEN ''
                ELSE '|' || audit_field(p_source) || '|' || audit_field(p_calls::text) END,
        'UTF8')), 'hex')
$$;

-- Appends a batch (arrays of equal length, one element per entry, in order) after the head, in one statement and
-- one round trip: the head row is locked until the transaction commits, so concurrent batches chain one after the
-- other. Returns the sequence of the batch's last entry. p_source and p_calls may be left out (no aggregates).
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
    p_recipient  text[],
    p_source     text[] DEFAULT NULL,
    p_calls      int4[] DEFAULT NULL)
RETURNS int8
LANGUAGE plpgsql
AS $$
DECLARE
    v_count    int := coalesce(cardinality(p_at), 0);
    v_sequence int8;
    v_hash     text;
    v_source   text[] := coalesce(p_source, array_fill(NULL::text, ARRAY[coalesce(cardinality(p_at), 0)]));
    v_calls    int4[] := coalesce(p_calls, array_fill(NULL::int4, ARRAY[coalesce(cardinality(p_at), 0)]));
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
       OR coalesce(cardinality(p_recipient), 0) <> v_count OR coalesce(cardinality(v_source), 0) <> v_count
       OR coalesce(cardinality(v_calls), 0) <> v_count THEN
        RAISE EXCEPTION 'audit_append: the arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    SELECT h.sequence, h.hash INTO v_sequence, v_hash FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    FOR i IN 1 .. v_count LOOP
        v_previous := v_previous || v_hash;
        v_sequence := v_sequence + 1;
        v_hash := audit_entry_hash(v_hash, v_sequence, p_at[i], p_subject[i], p_authority[i], p_role[i], p_action[i],
                                   p_request_id[i], p_parts[i], p_outcome[i], p_purpose[i], p_recipient[i], v_source[i], v_calls[i]);
        v_sequences := v_sequences || v_sequence;
        v_hashes := v_hashes || v_hash;
    END LOOP;

    INSERT INTO audit_log (sequence, at, subject, authority, role, action, request_id, parts, outcome, purpose, recipient, source, calls,
                           previous_hash, hash)
    SELECT * FROM unnest(v_sequences, p_at, p_subject, p_authority, p_role, p_action, p_request_id, p_parts, p_outcome, p_purpose,
                         p_recipient, v_source, v_calls, v_previous, v_hashes);

    UPDATE audit_head SET sequence = v_sequence, hash = v_hash WHERE id = 1;
    RETURN v_sequence;
END;
$$;

-- As in 0013, with the aggregate's columns in the recomputed hash.
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
                                a.parts, a.outcome, a.purpose, a.recipient, a.source, a.calls) AS recomputed
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
