-- 0014: retention and erasure (README "Retention and erasure").
--
-- Every erasure of a request's personal data on this node is kept here: when, and that it happened (who ordered
-- it, and why, is in the consultation log). The retention sweep selects ended requests that are not in this table.

CREATE TABLE IF NOT EXISTS request_erasures
(
    request_id uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);

-- As in 0012, and the erasure recorded in the same transaction.
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
    INSERT INTO request_erasures (request_id) VALUES (p_request_id) ON CONFLICT (request_id) DO NOTHING;
    RETURN true;
END;
$$;
