-- What the chain says about this host's nodes besides the round, as poc-collector reads it (a single row):
-- the governance models with their vLLM args, each node's epoch assignment (upstream's epoch_models /
-- epoch_ml_nodes: per model the epoch's model snapshot and the node's MLNodeInfo), and the nodes the chain's
-- preserved-nodes snapshot keeps serving inference during PoC (node id -> models).
CREATE TABLE chain_view (
    id                INT         PRIMARY KEY,
    epoch             BIGINT      NOT NULL,
    governance_models JSONB       NOT NULL,
    epoch_models      JSONB       NOT NULL,
    epoch_ml_nodes    JSONB       NOT NULL,
    preserved_nodes   JSONB       NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
