"""Running batch jobs: the glue between jobs, data, execution and the store.

:class:`Service` is the application service every front end goes through (plugins → job →
store → executor → :class:`Batch`); :func:`prepare_data` and :func:`store_job` prepare a
job's data and register it, for a batch run and a tuning run alike.
"""

from modelmap.batch._report import BatchBreak, Events, JobReport, SilentEvents
from modelmap.batch._data import data_args, prepare_data, store_job
from modelmap.jobs import NOT_IN_KEY  # the one list lives in jobs/; kept here for old imports
from modelmap.batch._batch import Batch
from modelmap.batch._service import Service

__all__ = ["NOT_IN_KEY", "Batch", "BatchBreak", "Events", "JobReport", "Service", "SilentEvents",
           "data_args", "prepare_data", "store_job"]
