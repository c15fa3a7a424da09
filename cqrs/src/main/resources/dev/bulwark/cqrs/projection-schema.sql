-- Bulwark projections: checkpoints and parked events of JDBC projections (PostgreSQL 11 or newer).
--
-- ProjectionRunner.createJdbcSchema(dataSource) runs this file. If you manage migrations with another tool, apply
-- it yourself instead, in the schema your read-model tables live in (the runner uses the connection's search path).

-- One row per projection. epoch is a fencing number: it goes up whenever a runner takes over, and every transaction
-- of a runner writes the checkpoint only while the epoch is still the one it took over with.
CREATE TABLE IF NOT EXISTS bulwark_projection_checkpoints (
    name       text        NOT NULL PRIMARY KEY,
    position   bigint      NOT NULL,
    epoch      bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Events a projection set aside, by key, until an operator retries or discards them.
CREATE TABLE IF NOT EXISTS bulwark_projection_parked (
    name       text        NOT NULL,
    position   bigint      NOT NULL,
    event_key  text        NOT NULL,
    stream_id  text        NOT NULL,
    version    bigint      NOT NULL,
    event_id   uuid        NOT NULL,
    event_type text        NOT NULL,
    attempts   integer     NOT NULL,
    error      text        NOT NULL,
    parked_at  timestamptz NOT NULL,
    PRIMARY KEY (name, position)
);

CREATE INDEX IF NOT EXISTS bulwark_projection_parked_by_key ON bulwark_projection_parked (name, event_key, position);
