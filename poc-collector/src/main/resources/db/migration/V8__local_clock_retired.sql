-- The collector follows a chain node only: the local clock's genesis, the own-node validation samples and the
-- locally computed weights and participants are gone (the chain's ActiveParticipants record is the only weight).
DROP TABLE IF EXISTS chain;
DROP TABLE IF EXISTS validation;
DROP TABLE IF EXISTS weight;
DROP TABLE IF EXISTS participants;
ALTER TABLE epoch DROP COLUMN IF EXISTS validation_started_at;
ALTER TABLE epoch DROP COLUMN IF EXISTS weights_at;
