-- Tables of PostgresSagaStore (dev.bulwark.saga). PostgresSagaStore.createTables() runs this file with
-- "bulwark_saga" replaced by the configured table name; run it by hand to create the default tables.
-- Times are epoch milliseconds written by the nodes' clocks (keep them in sync within the lease duration).

CREATE TABLE IF NOT EXISTS bulwark_saga (
    saga_id          text PRIMARY KEY,
    name             text NOT NULL,
    version          integer NOT NULL,
    state            text NOT NULL,
    resume_state     text,
    data             jsonb NOT NULL,
    active           text NOT NULL DEFAULT '',
    message          text,
    pivot_passed     boolean NOT NULL DEFAULT false,
    cancel_requested boolean NOT NULL DEFAULT false,
    owner            text,
    lease_until      bigint NOT NULL DEFAULT 0,
    deadline         bigint NOT NULL DEFAULT 0,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL,
    step_seq         integer NOT NULL DEFAULT 0
);

-- Claiming: unfinished sagas by lease expiry.
CREATE INDEX IF NOT EXISTS bulwark_saga_lease_idx ON bulwark_saga (lease_until)
    WHERE state IN ('RUNNING', 'COMPENSATING');

-- The operator API: sagas by state and age.
CREATE INDEX IF NOT EXISTS bulwark_saga_state_idx ON bulwark_saga (state, created_at);

CREATE TABLE IF NOT EXISTS bulwark_saga_step (
    saga_id     text NOT NULL,
    seq         integer NOT NULL,
    step_id     text NOT NULL,
    phase       text NOT NULL,
    outcome     text NOT NULL,
    attempts    integer NOT NULL,
    output      jsonb,
    error       text,
    started_at  bigint NOT NULL,
    finished_at bigint NOT NULL,
    PRIMARY KEY (saga_id, seq)
);
