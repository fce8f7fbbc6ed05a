"""Write ``data/passengers.csv``: the messy-table example (run ``python make_passengers.py``).

400 made-up passengers, the most ordinary kind of table a user brings: a row id, numeric
``age`` with 10 % empty cells, ``fare``, categorical ``sex`` and ``embarked`` (a few
empty), and the label ``survived`` as ``yes``/``no``.  Seeded: the file is the same on
every run.  The job ``jobs/passengers.json`` trains on it as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

ROWS = 400


def rows(seed: int = 0) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], ROWS, p=[0.36, 0.64])
    embarked = rng.choice(["S", "C", "Q"], ROWS, p=[0.72, 0.19, 0.09]).astype(object)
    age = np.clip(rng.normal(30, 13, ROWS), 0.5, 80).round(0)
    fare = np.round(rng.lognormal(2.7, 0.9, ROWS), 2)
    logit = -1.2 + 2.4 * (sex == "female") - 0.025 * (age - 30) + 0.35 * np.log(fare) \
        + 0.4 * (embarked == "C")
    survived = np.where(rng.random(ROWS) < 1 / (1 + np.exp(-logit)), "yes", "no")
    age_missing = rng.choice(ROWS, ROWS // 10, replace=False)
    embarked[rng.choice(ROWS, 3, replace=False)] = ""
    out = []
    for i in range(ROWS):
        out.append({"passenger_id": i + 1,
                    "age": "" if i in set(age_missing.tolist()) else int(age[i]),
                    "fare": fare[i], "sex": sex[i], "embarked": embarked[i],
                    "survived": survived[i]})
    return out


def write(path: Path) -> Path:
    data = rows()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    return path


if __name__ == "__main__":
    print(write(Path(__file__).parent / "data" / "passengers.csv"))
