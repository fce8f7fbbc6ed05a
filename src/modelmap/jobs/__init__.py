"""Reading, validating and expanding batch job files.

A job file is JSON5 (comments, trailing commas, Unicode) with a ``data`` section and
lists of ``projections`` and ``classifiers``; meta parameters expand into many
configurations.  :func:`load_job` does all of it and raises one
:class:`~modelmap.errors.JobError` that lists every problem with its location.
"""

from __future__ import annotations

from ._canonical import canonical_json, content_hash, to_plain
from ._load import Registry, load_job
from ._model import Config, Job
from ._problems import Problems, is_number, join_path, listing, show, suggest
from ._reader import parse_job_text, read_job_file
from ._schema import DATA_DEFAULTS, NOT_IN_KEY, DataSection
from ._titles import escape_title, parse_template

__all__ = [
    "DATA_DEFAULTS",
    "NOT_IN_KEY",
    "Config",
    "DataSection",
    "Job",
    "Problems",
    "Registry",
    "canonical_json",
    "content_hash",
    "escape_title",
    "is_number",
    "join_path",
    "listing",
    "load_job",
    "parse_job_text",
    "parse_template",
    "read_job_file",
    "show",
    "suggest",
    "to_plain",
]
