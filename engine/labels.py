"""Match what a methodologist typed against catalogue labels.

Matching is tolerant of the ways people write the same label: case, «ё»/«е», dash and hyphen
variants, spaces around dashes, quotes, a trailing full stop, an explanatory part in brackets
(«Республика Татарстан (Татарстан)»), and Russian inflection («в Московской области» matches
«Московская область»: words are compared by their Snowball stems when no exact match exists).
When nothing matches, the closest labels are offered for «did you mean».
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_QUOTES = re.compile(r"[«»\"“”„'‘’]")
_SPACE = re.compile(r"\s+")
_PARENS = re.compile(r"\s*\([^)]*\)")
_STOP_WORDS = frozenset({"в", "во", "на", "из", "с", "со", "по", "проживает", "живет", "г", "город"})


#: abbreviations written in profiles, expanded before words are compared
_ABBREVIATIONS = {
    "обл": "область", "респ": "республика", "мед": "медицинская", "гос": "государственная",
    "муниц": "муниципальная", "ао": "автономный округ", "фз": "федеральный закон", "st": "saint",
}
#: words that mean the same in labels («Sverdlovsk Region» is the catalogue's «Sverdlovsk Oblast»)
_SYNONYMS = {"region": "oblast"}


def normalize(text: str) -> str:
    """Lower-case, unify «ё», dashes, quotes and spaces; drop a trailing full stop."""
    t = str(text).casefold().replace("ё", "е")
    t = _DASHES.sub("-", t)
    t = _QUOTES.sub("", t)
    t = _SPACE.sub(" ", t).strip()
    t = re.sub(r"\s*-\s*", "-", t) if re.search(r"\d\s*-\s*\d", t) else t
    return t.rstrip(".;,: ").strip()


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("russian")


def stem_key(text: str) -> str:
    """A key of word stems that ignores inflection, brackets, abbreviations and a few function words."""
    t = normalize(_PARENS.sub("", str(text)))
    words = []
    for w in re.findall(r"[\w+-]+\.?", t):
        bare = w.rstrip(".")
        if bare in _STOP_WORDS:
            continue
        words += _ABBREVIATIONS.get(bare, bare).split() if w.endswith(".") or bare in ("обл", "респ") else [_SYNONYMS.get(bare, bare)]
    return " ".join(_stemmer().stemWords(words))


@dataclass(frozen=True)
class Candidate:
    """A catalogue item that a label may refer to."""

    iri: str
    label: str  # the preferred label in the user's language, for messages


@dataclass
class LabelIndex:
    """Labels of one kind of catalogue item (statuses, attributes, values of one scheme …)."""

    exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    stems: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    items: dict[str, Candidate] = field(default_factory=dict)
    all_labels: dict[str, str] = field(default_factory=dict)  # normalized label -> iri
    stem_tokens: list[tuple[frozenset[str], str]] = field(default_factory=list)  # (label stems, iri)
    one_word: bool = False  # may one word of a label name its item (values of a scheme, not generic names)

    def add(self, candidate: Candidate, labels: Iterable[str]) -> None:
        self.items.setdefault(candidate.iri, candidate)
        for label in labels:
            if not str(label).strip():
                continue
            n = normalize(label)
            self.exact[n].add(candidate.iri)
            self.all_labels.setdefault(n, candidate.iri)
            np = normalize(_PARENS.sub("", str(label)))
            if np and np != n:
                self.exact[np].add(candidate.iri)
            sk = stem_key(label)
            if sk:
                self.stems[sk].add(candidate.iri)
            # the words in brackets count for a partial match: «справка 2-НДФЛ» is «… (2-НДФЛ)»
            tokens = stem_key(_PARENS.sub(lambda m: " " + m.group(0).strip(" ()") + " ", str(label)))
            if tokens:
                self.stem_tokens.append((frozenset(tokens.split()), candidate.iri))

    def lookup(self, text: str) -> list[Candidate]:
        """All items the text can mean: exact (normalized) matches first, else stem matches."""
        n = normalize(text)
        hits = self.exact.get(n) or self.exact.get(normalize(_PARENS.sub("", str(text))))
        if not hits:
            hits = self.stems.get(stem_key(text), set())
        if not hits:
            hits = self._partial(text)
        return sorted((self.items[i] for i in hits), key=lambda c: c.iri)

    def _partial(self, text: str) -> set[str]:
        """Items with a label that holds every word of the text, if only one item has.

        In an index of values (``one_word``), one word is enough when it is a whole word of the
        label and at least four letters long («Свердловская» → «Свердловская область», «третья» →
        «третья группа», «Tatarstan» → «Republic of Tatarstan»); elsewhere a single word is too
        generic («бизнес»). Two or more words may also be shortened («педагогов» for «педагогических»).
        """
        words = frozenset(stem_key(text).split())
        if not words:
            return set()
        found = {iri for tokens, iri in self.stem_tokens if words <= tokens}
        if len(words) == 1:
            (word,) = words
            one = self.one_word and len(found) == 1 and len(normalize(text)) >= 4 and not word.isdigit()
            return found if one else set()
        if not found:  # words may be shortened: «педагогов» for «педагогических»
            found = {iri for tokens, iri in self.stem_tokens if all(_prefix_of_any(w, tokens) for w in words)}
        return found if len(found) == 1 else set()

    def suggest(self, text: str, n: int = 3) -> list[Candidate]:
        """The closest items by label, for «did you mean»."""
        key = normalize(text)
        close = difflib.get_close_matches(key, list(self.all_labels), n=n * 3, cutoff=0.6)
        if not close:
            # a typed word may be a part of a longer label: «московская» → «московская область»
            close = [lab for lab in self.all_labels if key and (key in lab or lab in key)][: n * 3]
        seen: list[Candidate] = []
        for label in close:
            c = self.items[self.all_labels[label]]
            if c not in seen:
                seen.append(c)
        return seen[:n]

    def __len__(self) -> int:
        return len(self.items)


def _prefix_of_any(word: str, tokens: frozenset[str]) -> bool:
    return word in tokens or (len(word) >= 3 and any(t.startswith(word) for t in tokens))
