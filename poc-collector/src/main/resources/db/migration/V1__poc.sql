-- The local chain clock, PoC epochs, artifacts, validations and weights.

CREATE TABLE chain (
    id           INTEGER     PRIMARY KEY CHECK (id = 1),
    chain_id     VARCHAR(64) NOT NULL,
    -- height 0; kept so that a restart continues the same chain
    genesis_time TIMESTAMPTZ NOT NULL
);

-- Model ids are long; artifacts refer to them by a small key.
CREATE TABLE model (
    id       SMALLSERIAL  PRIMARY KEY,
    model_id VARCHAR(255) NOT NULL UNIQUE
);

-- PoC v2 artifacts as ML nodes posted them; a nonce counts once per stage and model.
CREATE TABLE artifact (
    stage_height BIGINT   NOT NULL,
    model        SMALLINT NOT NULL REFERENCES model (id),
    nonce        BIGINT   NOT NULL,
    node_num     INTEGER  NOT NULL,
    vector       BYTEA    NOT NULL,
    PRIMARY KEY (stage_height, model, nonce)
);

-- PoC v1 (mlnode <= 3.0.12) nonces with their distance.
CREATE TABLE nonce_v1 (
    stage_height BIGINT           NOT NULL,
    nonce        BIGINT           NOT NULL,
    node_num     INTEGER          NOT NULL,
    dist         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (stage_height, nonce)
);

CREATE TABLE epoch (
    epoch_index            BIGINT      PRIMARY KEY,
    poc_start_block_height BIGINT      NOT NULL,
    block_hash             VARCHAR(64) NOT NULL,
    -- the round phase node-registry last acknowledged (GENERATE, VALIDATE, INFERENCE)
    announced_phase        VARCHAR(16),
    announced_at           TIMESTAMPTZ,
    validation_started_at  TIMESTAMPTZ,
    weights_at             TIMESTAMPTZ
);

-- One sample per (epoch, model, node) sent to a validator node and its verdict.
CREATE TABLE validation (
    id                 BIGSERIAL   PRIMARY KEY,
    epoch_index        BIGINT      NOT NULL,
    stage_height       BIGINT      NOT NULL,
    model              SMALLINT    NOT NULL REFERENCES model (id),
    node_num           INTEGER     NOT NULL,
    artifact_count     BIGINT      NOT NULL,
    max_nonce          BIGINT      NOT NULL,
    sample_size        INTEGER     NOT NULL,
    -- PENDING, SENT, PASSED, FRAUD, UNVALIDATED
    status             VARCHAR(16) NOT NULL,
    reason             TEXT,
    validator_node_num INTEGER,
    request_id         VARCHAR(128),
    tried              TEXT        NOT NULL DEFAULT '',
    attempts           INTEGER     NOT NULL DEFAULT 0,
    sent_at            TIMESTAMPTZ,
    n_total            INTEGER,
    n_mismatch         INTEGER,
    p_value            DOUBLE PRECISION,
    result_at          TIMESTAMPTZ,
    UNIQUE (epoch_index, model, node_num)
);

CREATE TABLE weight (
    epoch_index    BIGINT       NOT NULL,
    node_num       INTEGER      NOT NULL,
    node_id        VARCHAR(128) NOT NULL,
    model_id       VARCHAR(255) NOT NULL,
    artifact_count BIGINT       NOT NULL,
    weight         BIGINT       NOT NULL,
    -- PASSED, FRAUD, UNVALIDATED
    status         VARCHAR(16)  NOT NULL,
    reason         TEXT,
    PRIMARY KEY (epoch_index, node_num, model_id)
);

CREATE TABLE participants (
    epoch_index             BIGINT      PRIMARY KEY,
    poc_start_block_height  BIGINT      NOT NULL,
    effective_block_height  BIGINT      NOT NULL,
    created_at_block_height BIGINT      NOT NULL,
    host_weight             BIGINT      NOT NULL,
    computed_at             TIMESTAMPTZ NOT NULL
);
