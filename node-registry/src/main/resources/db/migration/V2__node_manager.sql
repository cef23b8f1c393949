-- What the node manager observes and intends for each node, and the PoC round it follows.

CREATE TABLE node_state (
    node_id                  VARCHAR(128) PRIMARY KEY REFERENCES node (id) ON DELETE CASCADE,
    -- UNKNOWN, INFERENCE, POC, STOPPED or FAILED
    current_status           VARCHAR(16)  NOT NULL DEFAULT 'UNKNOWN',
    -- IDLE, GENERATING or VALIDATING
    poc_current_status       VARCHAR(16)  NOT NULL DEFAULT 'IDLE',
    intended_status          VARCHAR(16)  NOT NULL DEFAULT 'UNKNOWN',
    poc_intended_status      VARCHAR(16)  NOT NULL DEFAULT 'IDLE',
    failure_reason           TEXT         NOT NULL DEFAULT '',
    -- when current_status last changed
    status_timestamp         TIMESTAMPTZ  NOT NULL,
    ml_node_version          VARCHAR(64)  NOT NULL DEFAULT '',
    loaded_model             VARCHAR(255),
    inference_healthy        BOOLEAN      NOT NULL DEFAULT FALSE,
    poc_validation_inference BOOLEAN      NOT NULL DEFAULT FALSE,
    -- last successful poll
    last_seen                TIMESTAMPTZ,
    -- the command in flight, e.g. INFERENCE_UP (null when idle)
    command                  VARCHAR(32),
    last_command             VARCHAR(32),
    last_command_at          TIMESTAMPTZ,
    last_command_result      TEXT
);

INSERT INTO node_state (node_id, status_timestamp) SELECT id, created_at FROM node;

-- The PoC round poc-collector last announced; a single row.
CREATE TABLE round (
    id                     INTEGER     PRIMARY KEY CHECK (id = 1),
    epoch                  BIGINT      NOT NULL,
    -- GENERATE, VALIDATE or INFERENCE
    phase                  VARCHAR(16) NOT NULL,
    poc_start_block_height BIGINT      NOT NULL,
    block_hash             VARCHAR(128) NOT NULL,
    -- {"<model id>": {"seq_len": 1024}}
    models                 JSONB       NOT NULL,
    -- node_count sent to ML nodes in this round's generation (max node_num + 1 when it started)
    node_count             INTEGER     NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);
