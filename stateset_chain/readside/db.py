"""Connecting to the read-side database and migrating it (alembic, raw SQL revisions).

``migrate(url)`` brings a database to the newest revision (what ``statesetd indexer`` does on
start and ``statesetd indexer migrate`` does alone); ``connect(url)`` opens a psycopg 3
connection. URLs are libpq's: ``postgresql://user@host:port/dbname`` (``postgres://`` too).
"""

from __future__ import annotations

from pathlib import Path

import psycopg

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(RuntimeError):
    """The read-side database is unreachable or not in the shape expected; the message says why."""


def sqlalchemy_url(url: str) -> str:
    """The same URL with SQLAlchemy's psycopg 3 driver named (alembic connects through it)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    raise DatabaseError(f"not a PostgreSQL URL: {url!r} (postgresql://user@host:port/db)")


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (idempotent)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(url), revision)
    except Exception as e:  # sqlalchemy wraps the driver's errors
        raise DatabaseError(f"migrating {redact(url)} failed: {e}") from e


def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    with connect(url) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        return row[0] if row else None


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("postgresql://x/y")).get_current_head()
    assert head is not None
    return head


def connect(url: str, autocommit: bool = False, connect_timeout: int = 5) -> psycopg.Connection:
    try:
        return psycopg.connect(
            libpq_url(url), autocommit=autocommit, connect_timeout=connect_timeout
        )
    except psycopg.OperationalError as e:
        raise DatabaseError(f"cannot connect to {redact(url)}: {e}") from e


def redact(url: str) -> str:
    """The URL without a password (for messages and logs)."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if not at or ":" not in creds:
        return url
    return f"{scheme}{sep}{creds.split(':', 1)[0]}:***@{host}"
