-- Every transaction this host sends to the chain, written before it is broadcast: a crash between the two
-- loses nothing, and a restart picks up where the queue was. One inner message per row; the signed tx is
-- built at each attempt (fresh timeout, gas doubled per retry), so only the message is kept.
CREATE TABLE chain_tx (
    id              BIGSERIAL   PRIMARY KEY,
    -- what it is for ("seed:42", "claim:41", "commit:1234560:3"): queued once however often its hook runs
    purpose         TEXT        NOT NULL UNIQUE,
    type_url        TEXT        NOT NULL,
    -- the inner message, creator = the cold account; MsgExec wraps it when signed
    message         BYTEA       NOT NULL,
    -- past this height it is dropped (EXPIRED): the chain would refuse it by then
    deadline_height BIGINT      NOT NULL,
    -- QUEUED (to sign and send), SENT (to observe by hash), INCLUDED, FAILED, EXPIRED
    status          VARCHAR(16) NOT NULL DEFAULT 'QUEUED',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    tx_hash         VARCHAR(64),
    -- the sent tx's timeout_timestamp: not included when a block passes it means lost, so it is sent again
    timeout_at      TIMESTAMPTZ,
    height          BIGINT,
    code            BIGINT,
    codespace       TEXT,
    log             TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX chain_tx_open ON chain_tx (next_at) WHERE status IN ('QUEUED', 'SENT');

-- This host's seed per epoch (writes spec §7.1; derivable again from the warm key); its claim is the tx "claim:<epoch>".
CREATE TABLE seed (
    epoch_index BIGINT      PRIMARY KEY,
    seed        BIGINT      NOT NULL,
    signature   VARCHAR(128) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
