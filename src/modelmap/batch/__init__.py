"""Running batch jobs: the glue between jobs, data, execution and the store."""

from modelmap.batch._report import BatchBreak, Events, JobReport, SilentEvents
from modelmap.batch._run import Batch

__all__ = ["Batch", "BatchBreak", "Events", "JobReport", "SilentEvents"]
