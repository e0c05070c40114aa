-- Who holds an IN_FLIGHT claim: a token of the request that took it (or took it over after 60 s). The request's
-- final update and its clean-up only touch the claim while it is still theirs, so a request that stalled and was
-- taken over can neither commit a second order nor release the claim of the request that took over.
ALTER TABLE idempotency_keys ADD COLUMN owner TEXT;
