-- Bulwark event store: the PostgreSQL schema (PostgreSQL 13 or newer).
--
-- PostgresEventStore.createSchema() runs this very file, with the configured schema and table prefix in place of
-- the default names below. If you manage migrations with another tool, apply it yourself (after replacing the
-- names if you configured others) and do not call createSchema().

CREATE TABLE IF NOT EXISTS bulwark_streams (
    stream_id       text    NOT NULL PRIMARY KEY,
    version         bigint  NOT NULL,  -- version of the stream's last event
    first_version   bigint  NOT NULL,  -- version its current life began at (after a deletion, the next one)
    truncate_before bigint  NOT NULL,  -- events below this version are gone from stream reads
    deleted         boolean NOT NULL,
    last_position   bigint  NOT NULL   -- position of the stream's last event
);

-- position = (id of the appending transaction << 16) + the event's index within that transaction.
-- Readers only read below (oldest transaction still running << 16); see PostgresEventStore.
CREATE TABLE IF NOT EXISTS bulwark_events (
    position       bigint      NOT NULL PRIMARY KEY,
    stream_id      text        NOT NULL,
    version        bigint      NOT NULL,
    event_id       uuid        NOT NULL UNIQUE,
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL,
    category       text        NOT NULL,  -- stream_id up to the first '-'
    data           jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (stream_id, version)
);

CREATE TABLE IF NOT EXISTS bulwark_snapshots (
    stream_id      text        NOT NULL PRIMARY KEY,
    version        bigint      NOT NULL,
    snapshot_type  text        NOT NULL,
    schema_version integer     NOT NULL,
    data           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL
);
