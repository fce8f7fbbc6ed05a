"""Turning what a user gives (a path or a database URL) into a SQLAlchemy URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from modelmap.errors import StoreError

_POSTGRES_NAMES = ("postgres", "postgresql", "postgresql+psycopg")
_SQLITE_NAMES = ("sqlite", "sqlite+pysqlite")
_HINT = (
    "give a file path (results.db), sqlite:///path/to/results.db or "
    "postgresql://user:password@host:5432/database"
)


@dataclass(frozen=True)
class StoreURL:
    """A resolved store location.

    ``url`` is what SQLAlchemy connects to; ``display`` is the same URL with the
    password masked (safe to print); ``dialect`` is ``"sqlite"`` or ``"postgresql"``;
    ``path`` is the SQLite file (``None`` for PostgreSQL and in-memory SQLite).
    """

    url: URL
    display: str
    dialect: str
    path: Path | None


def mask(url: URL) -> str:
    """``url`` as text with its password replaced by ``***`` (SQLite paths unescaped)."""
    if url.drivername == "sqlite":
        return f"sqlite:///{url.database}"
    return url.render_as_string(hide_password=True)


def resolve(url_or_path: str | os.PathLike[str]) -> StoreURL:
    """Resolve a path or URL; raise :class:`StoreError` for what cannot be a store."""
    if isinstance(url_or_path, os.PathLike) or "://" not in str(url_or_path):
        text = os.fspath(url_or_path)
        if not text.strip():
            raise StoreError("the store location is empty", hint=_HINT)
        path = Path(text).expanduser().resolve()
        url = URL.create("sqlite", database=str(path))
        return StoreURL(url, mask(url), "sqlite", path)
    text = str(url_or_path)
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(
            f"cannot parse the store URL: {exc}", where=_mask_text(text), hint=_HINT
        ) from None
    name = url.drivername
    if name in _SQLITE_NAMES:
        return _sqlite(url)
    if name in _POSTGRES_NAMES:
        url = url.set(drivername="postgresql+psycopg")
        return StoreURL(url, mask(url), "postgresql", None)
    raise StoreError(
        f"unsupported store URL scheme '{name}'",
        where=mask(url),
        hint="modelmap stores results in SQLite or PostgreSQL; " + _HINT,
    )


def _sqlite(url: URL) -> StoreURL:
    url = url.set(drivername="sqlite")
    database = url.database
    if not database or database == ":memory:":
        url = url.set(database=":memory:")
        return StoreURL(url, mask(url), "sqlite", None)
    path = Path(database).expanduser()
    url = url.set(database=str(path))
    return StoreURL(url, mask(url), "sqlite", path)


def _mask_text(text: str) -> str:
    """Mask ``user:password@`` in a URL that SQLAlchemy could not parse."""
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    credentials, at, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else text
