-- Secrets this network node generates once and keeps: the callback token handed to ML nodes in their callback URLs.
CREATE TABLE kept_secret (
    name       VARCHAR(64)  PRIMARY KEY,
    value      VARCHAR(256) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
