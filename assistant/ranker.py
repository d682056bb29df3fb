"""The fitted fact ranker: a logistic model over assistant.features, its weights read from a small
JSON file that `budget-qa eval fit` writes (with the sets, folds and scores it was fit on).

Its output is put on the scale the rest of the assistant reads scores on: `accept` (the refusal
threshold, chosen by cross-validation) maps to resolve.ACCEPT, and one logit moves the score by
`scale` (the ratio of the hand score's spread to the logit's), so margins between near candidates
keep their size."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from assistant.features import FEATURES

DEFAULT_PATH = Path(__file__).with_name("ranker.json")


class RankerError(ValueError):
    """A weights file that cannot be used; the message names the file and what is wrong."""


@dataclass
class Ranker:
    features: tuple[str, ...]
    mean: list[float]
    std: list[float]
    coef: list[float]
    intercept: float
    accept: float = 0.0          # logit at which a best candidate is an answer
    scale: float = 0.1           # score units per logit
    provenance: dict = field(default_factory=dict)
    mode: str = "rescue"         # "rescue": decides where the hand-set matcher finds nothing to accept; "replace": always

    def __post_init__(self):
        n = len(self.features)
        if not (len(self.mean) == len(self.std) == len(self.coef) == n):
            raise RankerError(f"ranker weights: {n} features but {len(self.mean)}/{len(self.std)}/{len(self.coef)} "
                              "means/stds/coefficients")
        missing = [f for f in self.features if f not in FEATURES]
        if missing:
            raise RankerError(f"ranker weights name unknown features: {', '.join(missing)}")
        self._cols = np.array([FEATURES.index(f) for f in self.features], dtype=np.int64)
        self._mean = np.asarray(self.mean)
        self._std = np.where(np.asarray(self.std) > 0, np.asarray(self.std), 1.0)
        self._coef = np.asarray(self.coef)

    def logits(self, X: np.ndarray) -> np.ndarray:
        if not len(X):
            return np.zeros(0)
        Z = (X[:, self._cols] - self._mean) / self._std
        return Z @ self._coef + self.intercept

    def scores(self, X: np.ndarray, accept_score: float) -> np.ndarray:
        """Logits on the assistant's score scale: the accept logit lands on accept_score."""
        return accept_score + (self.logits(X) - self.accept) * self.scale

    def to_json(self) -> dict:
        d = asdict(self)
        d["features"] = list(self.features)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Ranker":
        try:
            return cls(tuple(d["features"]), list(d["mean"]), list(d["std"]), list(d["coef"]),
                       float(d["intercept"]), float(d.get("accept", 0.0)), float(d.get("scale", 0.1)),
                       dict(d.get("provenance", {})), str(d.get("mode", "rescue")))
        except (KeyError, TypeError) as exc:
            raise RankerError(f"ranker weights: missing or bad field ({exc})") from exc

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_ranker(path: Path | None = None) -> Ranker | None:
    """The ranker at path (default: the shipped assistant/ranker.json); None when no file is there."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RankerError(f"ranker weights {path}: cannot read ({exc})") from exc
    if "folds" in data and "full" in data:
        data = data["full"]
    return Ranker.from_json(data)


def load_folds(path: Path) -> tuple[Ranker, dict[str, Ranker]]:
    """(the full fit, item id -> the fold's ranker fit without that item), for cross-validated runs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RankerError(f"ranker weights {path}: cannot read ({exc})") from exc
    if "folds" not in data:
        raise RankerError(f"ranker weights {path}: no folds (write them with `budget-qa eval fit`)")
    full = Ranker.from_json(data["full"])
    by_item: dict[str, Ranker] = {}
    for fold in data["folds"]:
        r = Ranker.from_json(fold["weights"])
        for item in fold["held_out"]:
            by_item[item] = r
    return full, by_item
