"""What a leaf of a query looks for: one or more word sequences ("atoms"), entities expanded.

An atom is a tuple of word patterns; a word pattern is a folded word, whether it is a prefix
(`sanction*`) and whether it must be in capitals (the query word was written UN, U.S., EU).
Capitals are decided per query word, so the alias "UN Human Rights Council" needs UN in capitals
and the other words in any case. Entities are looked up by their folded name, so `iran`, `Iran`
and `"Iran"` all name the entity Iran; `=Iran` and prefixes never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from watcher.query.ast import Phrase, Term
from watcher.query.text import fold, is_capitals, word_texts
from watcher.query.values import Entity


@dataclass(frozen=True, slots=True)
class WordPattern:
    folded: str
    prefix: bool = False
    capitals: bool = False

    def matches(self, folded: str, upper: bool) -> bool:
        if self.capitals and not upper:
            return False
        return folded.startswith(self.folded) if self.prefix else folded == self.folded


Atom = tuple[WordPattern, ...]


def entity_key(text: str) -> str:
    """The folded form entity names are compared in (`UNHRC`, `unhrc`, `"Unhrc"` agree)."""
    return " ".join(fold(w) for w in word_texts(text))


def entity_table(entities: Iterable[Entity] | Mapping[str, Entity]) -> dict[str, Entity]:
    """Entities keyed by folded name; two entities whose names fold alike are merged."""
    values = entities.values() if isinstance(entities, Mapping) else entities
    table: dict[str, Entity] = {}
    for entity in values:
        key = entity_key(entity.name)
        if not key:
            continue
        old = table.get(key)
        if old is not None:
            aliases = tuple(dict.fromkeys((*old.aliases, entity.name, *entity.aliases)))
            entity = Entity(old.name, aliases, old.builtin and entity.builtin)
        table[key] = entity
    return table


def words_atom(words: Sequence[str], allow_prefix: bool = True) -> Atom:
    """The atom of query words as written (each may be in capitals; the last may end in *)."""
    patterns: list[WordPattern] = []
    for k, word in enumerate(words):
        prefix = allow_prefix and k == len(words) - 1 and word.endswith("*")
        texts = word_texts(word[:-1] if prefix else word)
        capitals = is_capitals("".join(texts))
        for t, text in enumerate(texts):
            last = prefix and t == len(texts) - 1
            # Digits have no case: only the lettered parts of COVID-19 need capitals.
            patterns.append(WordPattern(fold(text), last, capitals and not text.isdigit()))
    return tuple(patterns)


def leaf_words(leaf: Term | Phrase) -> tuple[str, ...]:
    return (leaf.text,) if isinstance(leaf, Term) else leaf.words


def leaf_atoms(leaf: Term | Phrase, entities: Mapping[str, Entity]) -> tuple[Atom, ...]:
    """Every word sequence `leaf` matches; `entities` is keyed as by `entity_table`."""
    words = leaf_words(leaf)
    own = words_atom(words)
    if leaf.exact or leaf.prefix:
        return (own,)
    entity = entities.get(entity_key(" ".join(words)))
    if entity is None:
        return (own,)
    names = (entity.name, *entity.aliases)
    atoms = [own] + [words_atom(name.split(), allow_prefix=False) for name in names]
    return tuple(dict.fromkeys(a for a in atoms if a))
