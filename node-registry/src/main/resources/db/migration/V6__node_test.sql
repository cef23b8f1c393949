-- The last self-test of each ML node (POST /admin/v1/nodes/{id}/test). While one runs, lease_until keeps the node
-- manager's commands off the node (and api-node's routing: the node is not routable); a registry that died
-- mid-test lets the lease run out. The report is the JSON the API answers.
CREATE TABLE node_test (
    node_id     VARCHAR(128) PRIMARY KEY REFERENCES node (id) ON DELETE CASCADE,
    started_at  TIMESTAMPTZ  NOT NULL,
    finished_at TIMESTAMPTZ,
    lease_until TIMESTAMPTZ,
    report      TEXT         NOT NULL
);
