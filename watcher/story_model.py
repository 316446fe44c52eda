"""The learned "join this story or start a new one" decision of the story index.

Owns the feature names, their order, and the model: a logistic regression over a handful of
per-pair signals (stories.py computes them for an item and each of its best candidate stories),
trained by ``bench/train_story_model.py`` on labelled pairs and shipped as the reviewed data file
``watcher/data/story_model.json`` (feature weights only: no words). At run time a decision costs
one dot product per candidate story.

The recipe follows Miranda et al. (EMNLP 2018, "Multilingual Clustering of Streaming News"):
several TF-IDF sub-vector similarities and time features, with the join decision learned from
labelled pairs rather than a hand-set threshold on one similarity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import mul

# The signals for one (item, candidate story) pair, in the order the weights use. Every one is
# normalised per pair (a cosine, a fraction, a flag, hours / 24), so a long-running index with
# learned document frequencies and a fresh one give them about the same scale.
FEATURES = (
    "cos_best",  # TF-IDF cosine, title + lead, with the story's closest report
    "cos_anchor",  # ... with the story's first report: agreement with the story, not a neighbour
    "cos_title",  # cosine of the title terms only (closest report)
    "cos_lead",  # cosine of the lead terms only, the title's words left out (closest report)
    "overlap",  # shared terms / terms of the shorter of the two: no document frequency in it
    "names",  # shared name cues (capitalised, acronyms), up to 3, over 3
    "no_name_cos",  # cos_best when the two share no name: wording alone is weaker evidence
    "name_conflict",  # each headline names something the other report never mentions
    "numbers",  # a number (not a year) appears in both
    "number_conflict",  # both headlines carry figures, share none ("6.4 quake" / "7.1 quake"),
    # and are not a toll that rose ("kill 4", later "toll rises to 7": stories._numbers_apart)
    "title_novel",  # share of the two headlines' terms the other report lacks (mean both ways)
    "apart",  # hours between the item and the closest report, / 24
    "age",  # hours between the item and the story's first report, / 24
    "short",  # either side is headline-only (eight terms or fewer)
    "short_cos",  # cos_best when either side is headline-only: short texts make jumpy cosines
    "shared_terms",  # terms in common, up to 6, over 6: one or two shared words prove little
    "rare_names",  # shared names that are not generic news words, up to 6, over 6: two reports
    # naming the same people and bodies ("Araghchi", "Ishaq Dar", "UNHRC") agree a day apart
    "rare_apart",  # rare_names x apart: how much shared names make up for time apart
)

MODEL_FILE = "story_model.json"
_AT = {name: n for n, name in enumerate(FEATURES)}
# vetoed's signals by position, looked up once (it is asked of every pair)
_CONFLICT, _SHORT, _COS_BEST = _AT["name_conflict"], _AT["short"], _AT["cos_best"]
_NUMBER_CONFLICT, _RARE_NAMES = _AT["number_conflict"], _AT["rare_names"]
_NAMES, _SHARED_TERMS = _AT["names"], _AT["shared_terms"]
CONFLICT_BELOW = 0.3  # a cosine under which conflicting names veto a join


def vetoed(signals: Sequence[float], rivals: bool = True) -> bool:
    """Hand-set guards on top of the model, for precision where training data is thin:
    conflicting names veto a weak pair, a headline-only pair where they are `rivals`
    (story_signals._rivals: "Earthquake hits Chile" / "... Peru", "Strike halts Port of
    Antwerp" / "... of Rotterdam", "Fed holds ..." / "ECB holds ..."), or a pair that shares
    no rare name (templated results: "Heineken volumes rise" / "Carlsberg volumes fall";
    "Woman's body found in Greenwich park" / "Killamarsh deaths: four bodies found"), so do
    conflicting numbers on a headline-only pair ("Notice 3" / "Notice 13"), and two reports
    sharing no name must share at least two terms. Two headlines alone that share a rare name
    and whose other names are no rivals ("Kremlin confirms Putin will visit Beijing" / "Putin
    to meet Xi in China, Moscow says") are left to the model, which weighs the conflict."""
    if signals[_CONFLICT] and ((signals[_SHORT] and rivals) or signals[_COS_BEST] < CONFLICT_BELOW):
        return True
    if signals[_NUMBER_CONFLICT] and signals[_SHORT]:
        return True
    if signals[_CONFLICT] and not signals[_RARE_NAMES]:
        return True
    return not signals[_NAMES] and signals[_SHARED_TERMS] < 2 / 6


@dataclass(frozen=True, slots=True)
class JoinModel:
    """Weights over FEATURES; an item joins its best story when the probability reaches
    ``threshold`` and beats the runner-up story by ``margin``."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    margin: float

    def probability(self, features: Sequence[float]) -> float:
        # the products summed in order, as a list's would be; map calls mul in C
        z = self.bias + sum(map(mul, self.weights, features))
        if z < -30.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def parse_model(text: str) -> JoinModel:
    """A JoinModel from the JSON that bench/train_story_model.py writes."""
    data = json.loads(text)
    weights = data["weights"]
    if list(weights) != list(FEATURES):
        raise ValueError(f"story model features {list(weights)} are not {list(FEATURES)}")
    return JoinModel(
        weights=tuple(float(weights[name]) for name in FEATURES),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        margin=float(data["margin"]),
    )


@cache
def default_model() -> JoinModel:
    """The model shipped with the package (read once per process)."""
    text = resources.files("watcher").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return parse_model(text)
