"""Opening a store: paths and URLs, pragmas, schema version, and errors that say how to fix."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect, update

from modelmap.errors import StoreError
from modelmap.store import SCHEMA_VERSION, Store, _schema
from modelmap.store._url import resolve

TABLES = ["arrays", "claims", "datasets", "jobs", "maps", "meta", "projections", "results"]


def test_path_creates_sqlite_file_and_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "results.db"
    with Store(path) as store:
        assert store.url == f"sqlite:///{path}"
        assert store.dialect == "sqlite"
        assert repr(store) == f"Store('sqlite:///{path}')"
        assert sorted(inspect(store._engine).get_table_names()) == TABLES
        with store._engine.connect() as conn:
            pragmas = [
                conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            ]
        assert pragmas == ["wal", 30000, 1]
    assert path.is_file()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sqlite_url_and_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store("sub/a.db") as store:
        assert store.url == f"sqlite:///{tmp_path / 'sub' / 'a.db'}"
    with Store("sqlite:///sub/b.db") as store:
        assert store.url == "sqlite:///sub/b.db"
    assert (tmp_path / "sub" / "a.db").is_file() and (tmp_path / "sub" / "b.db").is_file()


@pytest.mark.parametrize(
    ("given", "driver", "shown"),
    [
        (
            "postgresql://ann:s3cret@db.example:5432/mm",
            "postgresql+psycopg",
            "postgresql+psycopg://ann:***@db.example:5432/mm",
        ),
        (
            "postgres://ann:s3cret@db.example/mm",
            "postgresql+psycopg",
            "postgresql+psycopg://ann:***@db.example/mm",
        ),
        (
            "postgresql+psycopg://ann@db.example/mm",
            "postgresql+psycopg",
            "postgresql+psycopg://ann@db.example/mm",
        ),
        ("sqlite:///:memory:", "sqlite", "sqlite:///:memory:"),
    ],
)
def test_urls_are_normalised_and_masked(given, driver, shown):
    target = resolve(given)
    assert target.url.drivername == driver
    assert target.display == shown


def test_postgres_password_survives_for_connecting():
    target = resolve("postgresql://ann:s3cret@db.example/mm")
    assert target.url.password == "s3cret"
    assert target.dialect == "postgresql" and target.path is None


def test_unsupported_scheme():
    with pytest.raises(StoreError) as info:
        Store("mysql://ann:s3cret@db.example/mm")
    assert str(info.value) == (
        "mysql://ann:***@db.example/mm: unsupported store URL scheme 'mysql'\n"
        "  hint: modelmap stores results in SQLite or PostgreSQL; give a file path "
        "(results.db), sqlite:///path/to/results.db or "
        "postgresql://user:password@host:5432/database"
    )


def test_empty_location():
    with pytest.raises(StoreError) as info:
        Store("  ")
    assert str(info.value) == (
        "the store location is empty\n  hint: give a file path (results.db), "
        "sqlite:///path/to/results.db or postgresql://user:password@host:5432/database"
    )


def test_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as info:
        Store(blocker / "results.db")
    assert str(info.value) == (
        f"sqlite:///{blocker}/results.db: cannot create the folder {blocker} for the store: "
        "File exists\n  hint: choose a writable location for the store or fix the folder's "
        "permissions"
    )


def test_path_that_is_a_folder(tmp_path):
    with pytest.raises(StoreError) as info:
        Store(tmp_path)
    assert str(info.value) == (
        f"sqlite:///{tmp_path}: could not open the store: unable to open database file\n"
        "  hint: check that the store's folder exists and is writable"
    )


def test_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert str(info.value) == (
        f"sqlite:///{path}: could not open the store: file is not a database\n"
        "  hint: the path is not a SQLite database; choose another file for the store"
    )


def test_unreachable_postgres_names_masked_url_and_fix():
    with pytest.raises(StoreError) as info:
        Store("postgresql://ann:s3cret@127.0.0.1:1/mm")
    text = str(info.value)
    assert "s3cret" not in text
    assert text.startswith(
        "postgresql+psycopg://ann:***@127.0.0.1:1/mm: could not open the store: "
    )
    assert text.endswith(
        "\n  hint: check that the PostgreSQL server runs and that host, port, user and "
        "password are right"
    )


def test_reopening_keeps_data_and_version(store_url):
    with Store(store_url) as store:
        store.put_dataset("iris", "fp", {}, {})
    with Store(store_url) as store:
        assert [d["name"] for d in store.datasets()] == ["iris"]
        with store._engine.connect() as conn:
            rows = conn.execute(_schema.meta.select()).all()
    assert [tuple(row) for row in rows] == [("schema_version", str(SCHEMA_VERSION))]


def test_newer_schema_version_is_refused(store_url):
    with Store(store_url) as store:
        shown = store.url
        with store._engine.begin() as conn:
            conn.execute(update(_schema.meta).values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(StoreError) as info:
        Store(store_url)
    assert str(info.value) == (
        f"{shown}: the store has schema version '2'; this modelmap understands version 1 "
        "and older\n  hint: upgrade modelmap (pip install -U modelmap) or use another store"
    )


def test_close_is_idempotent_and_store_reopens(store_url):
    store = Store(store_url)
    store.close()
    store.close()
    with Store(store_url) as again:
        assert again.jobs() == []
