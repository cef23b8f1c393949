-- What the registry acknowledged for an epoch is now a phase with, for a confirmation PoC, its stage
-- ("GENERATE@1234567"): wide enough for any height.
ALTER TABLE epoch ALTER COLUMN announced_phase TYPE VARCHAR(40);
