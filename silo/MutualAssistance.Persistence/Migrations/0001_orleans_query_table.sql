-- 0001: registry of the SQL texts used by the Orleans ADO.NET providers.
--
-- The clustering and reminder providers load every row of this table once at
-- start-up; the persistence provider loads its four storage keys during silo
-- initialisation. The providers query it with unquoted identifiers, so the
-- table and column names must be plain lower case.
-- Later migrations add their texts with INSERT ... ON CONFLICT DO UPDATE, so
-- each key exists exactly once and re-running a script simply refreshes it.
-- Changed texts only take effect after the silos (and clients) restart.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  text NOT NULL PRIMARY KEY,
    querytext text NOT NULL
);
