"""How the local pool batches configs into the messages it sends its workers."""

from __future__ import annotations

from collections import deque

from modelmap.execution import Context, WorkItem
from modelmap.execution._local import LocalExecutor, _Worker
from modelmap.training import TrainResult


class _Pipe:
    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


def _item(i: int, estimator: str, **params) -> WorkItem:
    args = {"title": f"{estimator} {i}", "method": "sklearn", "estimator": estimator, **params}
    return WorkItem(key=f"{estimator}-{i}", title=args["title"], method="sklearn", args=args)


def _finished(executor: LocalExecutor, item: WorkItem, seconds: float) -> None:
    executor._learn(item, [TrainResult(key=item.key, title=item.title, method=item.method,
                                       args={}, times={"total": seconds})])


def _chunks(executor: LocalExecutor, pending: deque) -> list[list[str]]:
    out = []
    while pending:
        worker = _Worker(process=None, conn=_Pipe())
        executor._send(worker, Context(bundle_path="x"), pending)
        out.append([item.title.split()[0] for item in worker.conn.sent[0][1]])
    return out


def test_fast_configs_never_sweep_up_configs_of_another_kind():
    """After many fast logistic regressions, the first MLP (a kind not seen yet, maybe
    slow) goes to a worker alone: a chunk of fast configs must not carry it along."""
    executor = LocalExecutor(2)
    lr = [_item(i, "LR", C=float(i)) for i in range(40)]
    for item in lr[:10]:
        _finished(executor, item, 0.005)
    pending = deque(lr[10:] + [_item(i, "MLP", alpha=0.1 * i) for i in range(8)])
    chunks = _chunks(executor, pending)
    assert all(len(set(chunk)) == 1 for chunk in chunks), chunks
    assert chunks[0] == ["LR"] * len(chunks[0]) and len(chunks[0]) > 1
    assert ["MLP"] in chunks  # alone until its cost is known


def test_the_string_choices_of_a_config_make_its_kind():
    """RBF and polynomial SVCs (same parameter names, another kernel) are two kinds; the
    numbers of a config do not make a new kind."""
    executor = LocalExecutor(2)
    for i in range(5):
        _finished(executor, _item(i, "SVC", C=float(i), kernel="rbf"), 0.01)
    assert executor._expected(_item(9, "SVC", C=123.0, kernel="rbf")) is not None
    assert executor._expected(_item(9, "SVC", C=1.0, kernel="poly")) is None


def test_chunks_shrink_as_the_work_runs_out():
    """Guided self-scheduling: a chunk holds at most a quarter of what is left per worker,
    so both workers finish together."""
    executor = LocalExecutor(2)
    items = [_item(i, "Tree", max_depth=i % 5) for i in range(200)]
    _finished(executor, items[0], 0.0001)
    sizes = [len(chunk) for chunk in _chunks(executor, deque(items[1:]))]
    assert sizes[0] == 49  # 198 left after the first item, / (2 workers x 2)
    assert sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)
