-- Validating every host's PoC v2 commitments, this host's included (writes spec §6). A round begins at the
-- stage's validation start block (recorded by that block's hook, so exactly once); its work list is the chain's
-- final commits; each (participant, model) ends in a vote, n_total or -1, carried on chain by a votes tx.
CREATE TABLE validation_round (
    stage_height   BIGINT      PRIMARY KEY,
    confirmation   BOOLEAN     NOT NULL,
    -- the stage's PoC seed as the ML nodes were given it: block P's hash, or the confirmation event's seed
    seed_hash      TEXT        NOT NULL,
    -- the validation start block's hash: it seeds which leaves are sampled
    sampling_hash  TEXT        NOT NULL,
    validation_end BIGINT      NOT NULL,
    listed_at      TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE host_validation (
    stage_height   BIGINT      NOT NULL,
    participant    TEXT        NOT NULL,
    model_id       TEXT        NOT NULL,
    count          BIGINT      NOT NULL,
    root           BYTEA       NOT NULL,
    pub_key_hex    TEXT        NOT NULL,
    inference_url  TEXT        NOT NULL,
    -- PENDING (proofs to fetch), SENT (sample with an ML node), VALID, INVALID, EXPIRED (window closed first)
    status         VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    attempts       INTEGER     NOT NULL DEFAULT 0,
    next_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason         TEXT,
    validator_node INTEGER,
    request_id     TEXT,
    sent_at        TIMESTAMPTZ,
    n_total        INTEGER,
    -- the vote once decided (n_total, or -1) and the chain_tx that carries it
    vote           BIGINT,
    decided_at     TIMESTAMPTZ,
    vote_purpose   TEXT,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (stage_height, participant, model_id)
);

CREATE UNIQUE INDEX host_validation_request ON host_validation (request_id) WHERE request_id IS NOT NULL;

-- The votes other hosts gave this host's commitments, read from the blocks that carried them (the chain keeps
-- the first vote of each validator, and so does this table).
CREATE TABLE vote_received (
    stage_height BIGINT      NOT NULL,
    validator    TEXT        NOT NULL,
    model_id     TEXT        NOT NULL,
    weight       BIGINT      NOT NULL,
    height       BIGINT      NOT NULL,
    PRIMARY KEY (stage_height, validator, model_id)
);
