"""Reading, validating and expanding batch job files.

A job file is JSON5 (comments, trailing commas, Unicode) with a ``data`` section and
lists of ``projections`` and ``classifiers``; meta parameters expand into many
configurations.  :func:`load_job` does all of it and raises one
:class:`~modelmap.errors.JobError` that lists every problem with its location.
"""

from __future__ import annotations

from ._canonical import canonical_json, content_hash
from ._load import Registry, load_job
from ._model import Config, Job
from ._reader import read_job_file

__all__ = [
    "Config",
    "Job",
    "Registry",
    "canonical_json",
    "content_hash",
    "load_job",
    "read_job_file",
]
