-- Bulwark event store: the PostgreSQL schema (PostgreSQL 13 or newer).
--
-- PostgresEventStore.createSchema() runs this very file, with the configured schema and table prefix in place of
-- the default names below. If you manage migrations with another tool, apply it yourself (after replacing the
-- names if you configured others) and do not call createSchema().
--
-- Stream ids compare byte by byte (COLLATE "C"): an id is a key, not prose, and byte order is the cheapest.

CREATE TABLE IF NOT EXISTS bulwark_streams (
    stream_id       text COLLATE "C" NOT NULL PRIMARY KEY,
    version         bigint  NOT NULL,  -- version of the stream's last event
    first_version   bigint  NOT NULL,  -- version its current life began at (after a deletion, the next one)
    truncate_before bigint  NOT NULL,  -- events below this version are gone from stream reads
    last_position   bigint  NOT NULL,  -- position of the stream's last event
    stream_no       bigint  NOT NULL,  -- position of the stream's first event ever: the stream's short key in events
    deleted         boolean NOT NULL
);

-- position = (id of the appending transaction << 16) + the event's index within that transaction.
-- Readers only read below (oldest transaction still running << 16); see PostgresEventStore.
-- Fixed-width columns come first, so rows carry no alignment padding. The index that serves stream reads is on the
-- stream's number, not its id: a 16-byte key, where (stream_id, version) took 77 to 125 bytes of index an event
-- (half-empty pages after splits) against 31. data and metadata are json, stored as the serializer wrote them
-- (checked, not re-encoded: cheaper to write and to read back); cast to jsonb in ad-hoc queries or expression
-- indexes. metadata is NULL when the event has none.
CREATE TABLE IF NOT EXISTS bulwark_events (
    position       bigint      NOT NULL PRIMARY KEY,
    version        bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    stream_no      bigint      NOT NULL,
    event_id       uuid        NOT NULL UNIQUE,
    schema_version integer     NOT NULL,
    stream_id      text COLLATE "C" NOT NULL,
    event_type     text        NOT NULL,
    data           json        NOT NULL,
    metadata       json,
    UNIQUE (stream_no, version)
);

CREATE TABLE IF NOT EXISTS bulwark_snapshots (
    stream_id      text COLLATE "C" NOT NULL PRIMARY KEY,
    version        bigint      NOT NULL,
    snapshot_type  text        NOT NULL,
    schema_version integer     NOT NULL,
    data           json        NOT NULL,
    created_at     timestamptz NOT NULL
);
