-- What the chain says about the round besides its stage, as poc-collector announces it when it follows a chain:
-- per model the governance vLLM args (inside models: {"<model>": {"seq_len": 1024, "model_args": [...]}}),
-- whether ML nodes use the stronger RNG, and the MLNode API version that prefixes ML node URLs ('' = none).
ALTER TABLE round ADD COLUMN poc_stronger_rng BOOLEAN     NOT NULL DEFAULT FALSE;
ALTER TABLE round ADD COLUMN mlnode_version   VARCHAR(64) NOT NULL DEFAULT '';
