"""One configuration on one bundle → one immutable result record (pure, runs in any worker).

``TrainResult`` is imported eagerly (the store needs it); ``train_config`` pulls in
scikit-learn and is imported on first use, so commands that only read the store start fast.
"""

from typing import Any

from modelmap.training._capture import clip
from modelmap.training._exits import PLUGIN_EXITS, describe_exit
from modelmap.training._machine import machine_info
from modelmap.training._result import (STATUS_FAILED, STATUS_OK, STATUS_TIMEOUT, STATUSES,
                                       TrainResult)

__all__ = ["TrainResult", "train_config", "STATUS_OK", "STATUS_FAILED", "STATUS_TIMEOUT",
           "STATUSES", "PLUGIN_EXITS", "clip", "describe_exit", "machine_info"]


def __getattr__(name: str) -> Any:
    if name == "train_config":
        from modelmap.training._train import train_config

        return train_config
    raise AttributeError(f"module 'modelmap.training' has no attribute {name!r}")
