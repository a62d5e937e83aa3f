-- 0016: what the exchange holds between sends is sealed (Sealing/SealedExchangeRecord.cs): an action taken here
-- with its reason (exchange_commands.command) and a peer's change waiting for a gap (exchange_held.change) become
-- bytea. Rows written before stay readable as the JSON they were (converted byte for byte).

ALTER TABLE exchange_commands ALTER COLUMN command TYPE bytea USING convert_to(command::text, 'UTF8');
ALTER TABLE exchange_held ALTER COLUMN change TYPE bytea USING convert_to(change::text, 'UTF8');

-- As in 0014, and what the exchange holds of the request goes with it: the changes held for a gap, and the
-- commands' contents (each row stays, its action, outcome and who took it, without its reason). A command still
-- undecided is decided here as the ordering node would decide it: the request has ended (only an ended request is
-- erased), so no action on it is allowed any more.
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
    DELETE FROM exchange_held WHERE request_id = p_request_id;
    UPDATE exchange_commands
       SET command = ''::bytea,
           outcome = coalesce(outcome, 'not-allowed-in-status'),
           detail = CASE WHEN decided_at IS NULL THEN 'The request was erased on this node before the command was decided.' ELSE detail END,
           decided_at = coalesce(decided_at, now())
     WHERE request_id = p_request_id;
    INSERT INTO request_erasures (request_id) VALUES (p_request_id) ON CONFLICT (request_id) DO NOTHING;
    RETURN true;
END;
$$;
