-- 0023: a member update never moves the last sign of life backwards either.
--
-- 0021 made the heartbeat (UpdateIAmAlivetimeKey) keep the later time. UpdateMembershipKey
-- (orleans_membership_update, 0002) still wrote iamalivetime = p_iamalivetime as sent. The runtime builds that
-- update from a row it read earlier. A silo changing its own status, or a peer recording a suspect vote or
-- declaring it dead, sends back the IAmAliveTime of that read. The heartbeat does not take the version row lock,
-- so it can commit between the read and the update. The update then put back the older time, and undid the
-- heartbeat. Peers could then see a live silo as missing its heartbeats, and the cleanup could date a row too old.
-- The version check does not catch this, because the heartbeat never changes the table version.
--
-- So the update now keeps the later of the stored and the sent time, as the heartbeat does (upstream's newer
-- PostgreSQL migration for atomic writes guards its update the same way). Everything else is 0002's function
-- unchanged: the same signature (UpdateMembershipKey's text stays), the row lock on the version row taken only
-- with the caller's version, status and suspect times set as sent, false with nothing changed when the version
-- or the member does not match, the version bumped by one on success.
-- Under READ COMMITTED an UPDATE that waits for a concurrent heartbeat's row lock re-reads the committed row
-- before it applies GREATEST, so the guard also holds when the two overlap.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deploymentid text,
    p_address      text,
    p_port         int4,
    p_generation   int4,
    p_status       int4,
    p_suspecttimes text,
    p_iamalivetime timestamptz,
    p_version      int4)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
      FROM orleans_membership_version
     WHERE deploymentid = p_deploymentid
       AND version = p_version
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
       SET status       = p_status,
           suspecttimes = p_suspecttimes,
           iamalivetime = GREATEST(iamalivetime, p_iamalivetime)
     WHERE deploymentid = p_deploymentid
       AND address      = p_address
       AND port         = p_port
       AND generation   = p_generation;
    IF NOT FOUND THEN
        RETURN false;  -- unknown member; the version has not been touched
    END IF;

    UPDATE orleans_membership_version
       SET version = version + 1,
           modifiedon = now()
     WHERE deploymentid = p_deploymentid;
    RETURN true;
END;
$$;
