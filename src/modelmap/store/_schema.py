"""The tables of the results store (SQLAlchemy Core).

Times (``created_at``, ``started_at`` ...) are Unix seconds as double-precision floats,
the same as :class:`~modelmap.training.TrainResult`.  JSON columns hold values that went
through :func:`modelmap.store._codec.to_json` (non-finite floats are tagged, see there).
Arrays live in the ``arrays`` table as NumPy ``.npy`` bytes, owned by a string such as
``"result:12"``, ``"job:3"``, ``"projection:4"`` or ``"map:1"``; deleting a row through
:class:`~modelmap.store.Store` deletes its arrays in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Version of the layout below; a store written by a newer layout is refused.
SCHEMA_VERSION = 1

metadata = MetaData()


def _json() -> JSON:
    return JSON(none_as_null=True)


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


meta = Table(
    "meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    _id(),
    Column("name", String, nullable=False),
    Column("fingerprint", String, nullable=False),
    Column("args", _json(), nullable=False),
    Column("summary", _json(), nullable=False),
    Column("created_at", Double, nullable=False),
    UniqueConstraint("name", "fingerprint", name="uq_datasets_name_fingerprint"),
    sqlite_autoincrement=True,
)

jobs = Table(
    "jobs",
    metadata,
    _id(),
    Column("title", String, nullable=False, unique=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), index=True),
    Column("file", Text),
    Column("config", _json(), nullable=False),
    Column("data_key", String, nullable=False),
    Column("created_at", Double, nullable=False),
    Column("updated_at", Double, nullable=False),
    sqlite_autoincrement=True,
)

results = Table(
    "results",
    metadata,
    _id(),
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("key", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("method", String, nullable=False),
    Column("args", _json(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("scores", _json(), nullable=False),
    Column("times", _json(), nullable=False),
    Column("history", _json()),
    Column("log", Text, nullable=False),
    Column("error", Text),
    Column("traceback", Text),
    Column("machine", _json(), nullable=False),
    Column("fold", Integer),
    Column("parent_key", String),
    Column("plugin_hash", String, nullable=False),
    Column("tags", _json(), nullable=False),
    Column("started_at", Double, nullable=False),
    Column("finished_at", Double, nullable=False),
    Column("created_at", Double, nullable=False),
    UniqueConstraint("job_id", "key", name="uq_results_job_key"),
    Index("ix_results_job_status", "job_id", "status"),
    Index("ix_results_job_method", "job_id", "method"),
    Index("ix_results_key", "key"),
    sqlite_autoincrement=True,
)

arrays = Table(
    "arrays",
    metadata,
    Column("owner", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("dtype", String, nullable=False),
    Column("shape", _json(), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

projections = Table(
    "projections",
    metadata,
    _id(),
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("key", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("method", String, nullable=False),
    Column("args", _json(), nullable=False),
    Column("created_at", Double, nullable=False),
    UniqueConstraint("job_id", "key", name="uq_projections_job_key"),
    sqlite_autoincrement=True,
)

maps = Table(
    "maps",
    metadata,
    _id(),
    Column("key", String, nullable=False, unique=True),
    Column("params", _json(), nullable=False),
    Column("created_at", Double, nullable=False),
    sqlite_autoincrement=True,
)


# Which run is training which config of a job now, so that two `modelmap run` of one job
# share the work (as Optuna's RDB workers do with RUNNING trials).  A row lives while its
# run does: the run refreshes ``heartbeat`` and deletes its rows when it ends; rows of a run
# that was killed are taken over once stale (see store/_claims.py).  Added after version 1
# without a version change: an older store gets the table when it is opened.
claims = Table(
    "claims",
    metadata,
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String, primary_key=True),
    Column("owner", String, nullable=False),
    Column("heartbeat", Double, nullable=False),
    Index("ix_claims_owner", "owner"),
)


def owner(kind: str, row_id: int) -> str:
    """The ``arrays.owner`` value of a row: ``owner("result", 12) == "result:12"``."""
    return f"{kind}:{row_id}"
