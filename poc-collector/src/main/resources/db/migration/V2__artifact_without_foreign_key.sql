-- Artifacts are the hot path (hundreds of thousands of rows a second during a PoC stage) and their model
-- key only ever comes from poc.model through ModelKeys, which inserts the model first. The foreign key
-- made PostgreSQL look up poc.model once per stored row, about doubling its CPU time per artifact
-- (bench/ IngestBench); validations, written once per node and model, keep theirs.
ALTER TABLE artifact DROP CONSTRAINT IF EXISTS artifact_model_fkey;
