"""The values the rule language hands across its boundary: the document to match, the result of
a match, and an entity (a name with aliases). Plain frozen data; no behaviour beyond that."""

from __future__ import annotations

from dataclasses import dataclass

# Field names a query can scope to, in the order results list them.
FIELDS: tuple[str, ...] = ("title", "summary", "source", "url")
# Where an unscoped term looks: the words of the item, not its feed name or link.
DEFAULT_FIELDS: tuple[str, ...] = ("title", "summary")


@dataclass(frozen=True, slots=True)
class Document:
    """The text of one item to match."""

    title: str
    summary: str  # body text
    source: str = ""  # feed name (field scope `source:`)
    url: str = ""  # canonical link (field scope `url:`)
    sources: int = 1  # distinct feeds that reported the item's story so far (`sources>=N`)

    def field(self, name: str) -> str:  # a text field of FIELDS
        return str(getattr(self, name))


@dataclass(frozen=True, slots=True)
class Hit:
    """The result of matching one query on one document."""

    matched: bool
    terms: tuple[str, ...] = ()  # the words of the text that matched, for "why did this fire"
    spans: tuple[tuple[str, int, int], ...] = ()  # (field, start, end) in the original field text


NO_HIT = Hit(False)


@dataclass(frozen=True, slots=True)
class Entity:
    """A name that stands for itself and its aliases (`UNHRC` = "UN Human Rights Council", ...)."""

    name: str
    aliases: tuple[str, ...] = ()
    builtin: bool = False  # from watcher.countries rather than a rule file
