"""One configuration on one bundle → one immutable result record (pure, runs in any worker)."""

from modelmap.training._result import (STATUS_FAILED, STATUS_OK, STATUS_TIMEOUT, STATUSES,
                                       TrainResult)
from modelmap.training._train import train_config

__all__ = ["TrainResult", "train_config", "STATUS_OK", "STATUS_FAILED", "STATUS_TIMEOUT",
           "STATUSES"]
