-- 0008: the bulk cleanup of defunct silos removes stale members of every status but Active.
--
-- 0002's CleanupDefunctSiloEntriesKey deleted only Dead (6) rows. A silo that crashed while Created (1),
-- Joining (2), ShuttingDown (4) or Stopping (5) is never voted dead, so its row stayed in the table forever
-- wherever the provider uses the bulk query. The providers' contract, as every other Orleans membership
-- provider implements it, is to remove stale rows of every status except Active (3): an Active row whose
-- heartbeat is old is left for the membership protocol to vote dead first.
--
-- @IAmAliveTime is the cut-off the runtime sends (now - DefunctSiloExpiration). The per-row
-- CleanupDefunctSiloEntryKey (0002) stays as the provider expects it: the provider picks Dead rows itself and
-- deletes each only if it is still Dead and unchanged since it read it.

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM orleans_membership
      WHERE deploymentid = @DeploymentId
        AND status <> 3
        AND iamalivetime < @IAmAliveTime;'
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
