-- Secrets this collector generates once and keeps: the callback token of its own validation requests to ML nodes.
CREATE TABLE kept_secret (
    name       VARCHAR(64)  PRIMARY KEY,
    value      VARCHAR(256) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
