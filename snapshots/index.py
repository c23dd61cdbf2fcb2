"""The index of captures, extractions, change events and runs.

SQLAlchemy Core keeps the SQL portable: SQLite under the data root by default, and the same
tables on PostgreSQL when a database URL is configured. Every write that belongs together
happens in one transaction, so a killed process leaves either all of it or none of it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.pool import QueuePool

metadata = MetaData()

captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("fetched_at", String(32), nullable=False),  # ISO 8601 UTC, "2024-05-28T00:00:00Z"
    Column("status", Integer, nullable=False),
    Column("reason", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_type", Text),
    Column("charset", String(40)),
    Column("payload_sha256", String(64)),
    Column("body_bytes", Integer, nullable=False, default=0),  # body bytes stored by this capture
    Column("record_type", String(16), nullable=False),  # response | revisit
    Column("revisit_of", Integer, ForeignKey("captures.id")),  # capture whose record holds the body
    Column("warc_file", Text, nullable=False),  # relative to the data root
    Column("warc_offset", BigInteger, nullable=False),  # 64-bit on PostgreSQL too: WARC files pass 2 GiB
    Column("warc_length", BigInteger, nullable=False),
    Column("origin", String(16), nullable=False),  # fetch | replay | backfill
    Index("ix_captures_source_time", "source", "fetched_at"),
    # storing a capture looks up the URL's previous one: without this, a scan of every capture
    Index("ix_captures_url_time", "url", "fetched_at"),
)

extractions = Table(
    "extractions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("capture_id", Integer, ForeignKey("captures.id"), nullable=False),
    Column("extractor_version", String(100), nullable=False),
    Column("member_count", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),  # 0 when flagged as a suspect extraction
    Column("json", Text, nullable=False),  # compact JSON; "" when `same_as` holds it
    # an unchanged capture shares the extraction of the capture that holds its payload
    Column("same_as", Integer, ForeignKey("extractions.id")),
    UniqueConstraint("capture_id", "extractor_version"),
)

_original = extractions.alias("original")
# An extraction's JSON whether stored in its row or shared by reference: select this, not `json`.
extraction_text = case(
    (extractions.c.same_as.is_(None), extractions.c.json),
    else_=select(_original.c.json).where(_original.c.id == extractions.c.same_as).scalar_subquery(),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("extractor_version", String(100), nullable=False),
    Column("to_capture", Integer, ForeignKey("captures.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("at", String(32), nullable=False),
    Column("json", Text, nullable=False),
    Index("ix_changes_source_version", "source", "extractor_version", "at"),
)

# What the stored history of a source was last derived over: the reviewed people file's
# fingerprint and the newest capture. A later capture that only repeats an accepted page then
# needs no new derivation (see flows.pipeline.process_pending).
derivations = Table(
    "derivations",
    metadata,
    Column("source", String(100), primary_key=True),
    Column("extractor_version", String(100), primary_key=True),
    Column("reviewed", String(64), nullable=False),
    Column("last_capture", Integer, ForeignKey("captures.id"), nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("url", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("message", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
    Column("report_path", Text, nullable=False),
    Column("summary", Text, nullable=False),
)


def connect(url: str, readonly: bool = False) -> Engine:
    """Open (and create if needed) the index behind `url`; with `readonly`, open it only to read.

    Two processes starting at once may both find a table missing and both create it; the
    loser's CREATE fails, and a second look finds everything in place.
    """
    if readonly and url.startswith("sqlite:///"):
        return _sqlite_readonly(Path(url.removeprefix("sqlite:///")))
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if readonly:
        return engine
    for attempt in range(5):
        try:
            metadata.create_all(engine)
            _migrate(engine)
            break
        except (OperationalError, ProgrammingError, IntegrityError):
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    return engine


def _migrate(engine: Engine) -> None:
    """Bring an index made by an earlier version up to date (create_all adds only missing tables)."""
    columns = {c["name"] for c in inspect(engine).get_columns("extractions")}
    if "same_as" not in columns:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE extractions ADD COLUMN same_as INTEGER REFERENCES extractions (id)"))
    for index in captures.indexes:
        index.create(engine, checkfirst=True)


def _sqlite_readonly(path: Path) -> Engine:
    """The SQLite index opened read-only, so queries work on a read-only data dir or a full disk.

    A WAL database needs its shared-memory file even to read; where that cannot be created
    (read-only directory, no space left) the file is opened as immutable instead, which reads
    the database as last checkpointed.
    """
    error: OperationalError | None = None
    for flags in ("mode=ro", "mode=ro&immutable=1"):
        uri = f"file:{quote(str(path.resolve()))}?{flags}"
        engine = create_engine(
            "sqlite://",
            creator=lambda uri=uri: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool,
            future=True,
        )
        event.listen(engine, "connect", _sqlite_readonly_pragmas)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
            return engine
        except OperationalError as exc:
            error = exc
            engine.dispose()
    assert error is not None
    raise error


def _sqlite_readonly_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=30000")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers (the CLI queries) run while a tracking run writes; a busy timeout makes a
    # second writer wait instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
