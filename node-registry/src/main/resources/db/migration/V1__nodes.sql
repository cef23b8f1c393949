-- ML nodes as the operator registered them, with their admin state and a stable node_num.

CREATE SEQUENCE node_num_seq START WITH 1 INCREMENT BY 1 NO CYCLE;

CREATE TABLE node (
    id                VARCHAR(128) PRIMARY KEY,
    -- the node_id an ML node echoes back in PoC callbacks; assigned once, never reused
    node_num          INTEGER      NOT NULL UNIQUE,
    host              VARCHAR(253) NOT NULL,
    inference_segment VARCHAR(255) NOT NULL DEFAULT '',
    inference_port    INTEGER      NOT NULL CHECK (inference_port BETWEEN 1 AND 65535),
    poc_segment       VARCHAR(255) NOT NULL DEFAULT '',
    poc_port          INTEGER      NOT NULL CHECK (poc_port BETWEEN 1 AND 65535),
    max_concurrent    INTEGER      NOT NULL CHECK (max_concurrent > 0),
    models            JSONB        NOT NULL,
    hardware          JSONB,
    enabled           BOOLEAN      NOT NULL DEFAULT TRUE,
    -- epoch index at the last enable/disable (upstream AdminState.Epoch)
    admin_epoch       BIGINT       NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ  NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL
);

CREATE UNIQUE INDEX node_inference_endpoint ON node (lower(host), inference_port);
CREATE UNIQUE INDEX node_poc_endpoint ON node (lower(host), poc_port);

-- What was last imported from NODE_CONFIG_PATH, so an unchanged file is not re-applied.
CREATE TABLE node_config_import (
    path        VARCHAR(4096) PRIMARY KEY,
    sha256      CHAR(64)      NOT NULL,
    imported_at TIMESTAMPTZ   NOT NULL
);
