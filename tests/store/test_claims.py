"""Claims: concurrent runs of one job share its configs; a killed run's claims are taken over."""

from __future__ import annotations

import socket

import sqlalchemy as sa

from modelmap.store import STALE_SECONDS, Store
from modelmap.store import _schema as s


def _job(store: Store) -> int:
    dataset = store.put_dataset("d", "fp", {}, {})
    return store.put_job("J", dataset, None, {}, "dk")


def test_a_config_claimed_by_a_live_run_is_left_to_it(tmp_path):
    with Store(tmp_path / "m.db") as store:
        job = _job(store)
        a, b = "elsewhere:1:a", "elsewhere:2:b"
        assert store.claims.claim(job, ["k1", "k2"], a) == {"k1", "k2"}
        assert store.claims.claim(job, ["k2", "k3"], b) == {"k3"}
        assert store.claims.claim(job, ["k1", "k2"], a) == {"k1", "k2"}  # its own again
        assert store.claims.held(job, exclude=b) == {"k1": a, "k2": a}
        store.claims.release(a)
        assert store.claims.claim(job, ["k1"], b) == {"k1"}


def test_stale_claims_and_claims_of_a_dead_local_process_are_taken_over(tmp_path):
    with Store(tmp_path / "m.db") as store:
        job = _job(store)
        store.claims.claim(job, ["old"], "elsewhere:1:a")
        with store._write("age") as conn:
            conn.execute(sa.update(s.claims).values(heartbeat=sa.literal(0.0)))
        assert store.claims.claim(job, ["old"], "elsewhere:2:b") == {"old"}
        dead = f"{socket.gethostname()}:999999999:x"  # no such pid on this host
        store.claims.claim(job, ["k"], dead)
        assert store.claims.claim(job, ["k"], "elsewhere:2:b") == {"k"}
        assert STALE_SECONDS >= 30


def test_a_store_made_before_claims_gets_the_table_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as store:
        job = _job(store)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE claims")  # the layout of version 1 before claims
    engine.dispose()
    with Store(path) as store:
        assert store.job("J")["id"] == job
        assert store.claims.claim(job, ["k"], "me:1:x") == {"k"}
