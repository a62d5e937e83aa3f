-- 0012: personal data sealed at rest (issue 15). The application encrypts before anything reaches this database:
-- request_state.payload is sealed whole under the request's data key (AES-256-GCM), and so is every reason in
-- request_events (the column then holds a sealed token; see silo Sealing/SealedReason). Each request's data key
-- is kept here wrapped under one of the node's master keys, which never reach the database. Destroying the row
-- (request_erase) makes every sealed value of the request unreadable for good, backups and WAL included.

CREATE TABLE IF NOT EXISTS request_keys
(
    request_id     uuid        PRIMARY KEY,
    master_version int4        NOT NULL CHECK (master_version > 0),  -- the master key it is wrapped under
    wrapped        bytea       NOT NULL,                              -- nonce, tag, ciphertext (AES-256-GCM)
    created_at     timestamptz NOT NULL DEFAULT now(),
    rewrapped_at   timestamptz NULL                                   -- the last master-key rotation that reached it
);

-- Rotation walks the keys still under an older version.
CREATE INDEX IF NOT EXISTS request_keys_by_version ON request_keys (master_version, request_id);

-- The blind index of the persons concerned: HMAC-SHA256 of each distinct normalised word of each person's name
-- (ReadSide Search/PersonIndex.Tokens, PersonNames.Words; no token for a whole name) under the node's person-index
-- key. No name is stored; equal words give equal tokens, and a search finds the requests holding every word asked.
CREATE TABLE IF NOT EXISTS request_person_index
(
    token      bytea NOT NULL,
    request_id uuid  NOT NULL,
    PRIMARY KEY (token, request_id)
);

CREATE INDEX IF NOT EXISTS request_person_index_by_request ON request_person_index (request_id);

-- After a successful request_commit, in its transaction: the request's data key when this commit created it (a
-- different key already stored is an error, never overwritten: the state just sealed would not open), and the
-- person tokens when this commit filed it here.
CREATE OR REPLACE FUNCTION request_keys_put(p_request_id uuid, p_master_version int4, p_wrapped bytea, p_person_tokens bytea[])
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_stored bytea;
BEGIN
    IF p_wrapped IS NOT NULL THEN
        INSERT INTO request_keys (request_id, master_version, wrapped)
        VALUES (p_request_id, p_master_version, p_wrapped)
        ON CONFLICT (request_id) DO NOTHING;
        SELECT wrapped INTO v_stored FROM request_keys WHERE request_id = p_request_id;
        IF v_stored IS DISTINCT FROM p_wrapped THEN
            RAISE EXCEPTION 'request %: another data key is stored', p_request_id USING ERRCODE = '40001';
        END IF;
    END IF;

    IF p_person_tokens IS NOT NULL AND cardinality(p_person_tokens) > 0 THEN
        INSERT INTO request_person_index (token, request_id)
        SELECT DISTINCT t, p_request_id FROM unnest(p_person_tokens) AS t
        ON CONFLICT DO NOTHING;
    END IF;

    RETURN true;
END;
$$;

-- Erasure: the state without personal data replaces the stored one at the same version, the data key and the
-- person tokens are destroyed. False (nothing changed) when the stored version is another.
CREATE OR REPLACE FUNCTION request_erase(p_request_id uuid, p_version int4, p_payload bytea)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE request_state SET payload = p_payload, changed_at = now()
     WHERE request_id = p_request_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    DELETE FROM request_keys WHERE request_id = p_request_id;
    DELETE FROM request_person_index WHERE request_id = p_request_id;
    RETURN true;
END;
$$;
