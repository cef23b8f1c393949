-- PoC v2 commitments (writes spec §4): the tree "at count N" is the first N distinct artifacts in arrival order,
-- so every artifact gets a gap-free sequence number per stage and model when it is stored. The counter row is
-- locked by the storing transaction until it commits, so sequence numbers become visible in order, without gaps.
-- Rows stored before this version have none and are never committed.
ALTER TABLE artifact ADD COLUMN seq BIGINT;
CREATE INDEX artifact_seq_idx ON artifact (stage_height, model, seq);

CREATE TABLE artifact_counter (
    stage_height BIGINT   NOT NULL,
    model        SMALLINT NOT NULL,
    -- the next sequence number: the number of artifacts stored for the stage and model
    next_seq     BIGINT   NOT NULL,
    PRIMARY KEY (stage_height, model)
);

-- Every (count, root) this host committed on chain, per stage and model: proofs are served for these counts only
-- (and the live tip), until the stage is pruned. The tx is the chain_tx row that carried it.
CREATE TABLE commitment (
    stage_height BIGINT      NOT NULL,
    model        SMALLINT    NOT NULL,
    count        BIGINT      NOT NULL,
    root         BYTEA       NOT NULL,
    tx_purpose   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (stage_height, model, count)
);
