-- The chain follower (DAPI_CHAIN_NODE__URL): every block it processed, strictly in order, with the hash the
-- chain prints (the PoC start's hash seeds the round), and every stage hook it ran, once.
CREATE TABLE chain_block (
    height       BIGINT PRIMARY KEY,
    hash         TEXT        NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE chain_hook (
    height BIGINT      NOT NULL,
    hook   TEXT        NOT NULL,
    ran_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (height, hook)
);
