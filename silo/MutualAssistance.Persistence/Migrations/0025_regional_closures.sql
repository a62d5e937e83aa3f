-- 0025: a closure a state declares may name a region (issue 24): it then closes only the offices of that state's
-- authorities located in the region (authorities.json location.region), e.g. a provincial closure for heat or
-- pollution. '' is the whole state, so that a state-wide closure and a regional one may fall on the same day and
-- the primary key still names one row.
ALTER TABLE calendar_closures ADD COLUMN IF NOT EXISTS region text NOT NULL DEFAULT '' CHECK (length(region) <= 100);
ALTER TABLE calendar_closures DROP CONSTRAINT IF EXISTS calendar_closures_pkey;
ALTER TABLE calendar_closures ADD CONSTRAINT calendar_closures_pkey PRIMARY KEY (state, day, region);

ALTER TABLE calendar_closure_changes ADD COLUMN IF NOT EXISTS region text NOT NULL DEFAULT '';
