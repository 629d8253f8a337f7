"""The case forms of the catalogue's words, from the Russian dictionary of pymorphy3 (OpenCorpora).

A label word («Орёл», «Волочёк», «Набережные») is known in every case of its own gender and number
(«Орле», «Волочке», «Набережных»): so «в Орле» reads as «Орёл», where the Snowball stemmer gives
«орл» and «орел» two stems. The dictionary declines only the words it knows, and only within one
word: «Ленинский» is an adjective of its own, not a case of «Ленинск», and «Мирная» is not a case of
«Мирный». A word the dictionary does not know is matched as written (then by its stem, see
``labels``).

Loading the dictionary takes about half a second, declining a word a fraction of a millisecond; so
the forms of each word are computed once and kept in the user's cache folder
(``$SEGMENTUM_CACHE``, else ``$XDG_CACHE_HOME/segmentum`` or ``~/.cache/segmentum``), under the
versions of pymorphy3, its dictionary and this module. A process loads that file on its first
lemma lookup, and the dictionary only if a label has a word the file does not hold yet.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from segmentum.output import write_atomic

logger = logging.getLogger(__name__)

#: a word the dictionary may know: Cyrillic letters, «е» for «ё» (labels are normalized so)
_CYRILLIC = re.compile(r"[а-я]+")
#: the parts of speech that decline by case; other words (verbs, adverbs, prepositions) stay as written
_DECLINED = frozenset({"NOUN", "ADJF", "PRTF", "NUMR", "NPRO"})


@cache
def _analyzer():
    import pymorphy3  # half a second: only when a word is not in the cache

    return pymorphy3.MorphAnalyzer(lang="ru")


def case_forms(word: str) -> tuple[str, ...]:
    """``word`` and its forms in every case, in its gender and number, by each of its dictionary parses."""
    forms = {word}
    for parse in _analyzer().parse(word):
        tag = parse.tag
        if not parse.is_known or tag.POS not in _DECLINED:
            continue
        for form in parse.lexeme:
            f = form.tag
            if f.POS == tag.POS and f.number == tag.number and (tag.number == "plur" or f.gender == tag.gender):
                forms.add(form.word.replace("ё", "е"))
    return tuple(sorted(forms))


def in_dictionary(word: str) -> bool:
    """Whether the Russian dictionary knows ``word`` (in any form): a word it does not know may be a typo."""
    return bool(_analyzer().word_is_known(word))


def normal_forms(word: str) -> set[str]:
    """The normal forms the dictionary gives or guesses for ``word`` («самозанятые» → «самозанятый»), «е» for «ё»."""
    return {p.normal_form.replace("ё", "е") for p in _analyzer().parse(word)}


def _versions() -> str:
    found = []
    for dist in ("pymorphy3", "pymorphy3-dicts-ru"):
        try:
            found.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist}=?")
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return ";".join([*found, code])


def _cache_path() -> Path:
    base = os.environ.get("SEGMENTUM_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "segmentum")
    return Path(base) / f"lemmas-{hashlib.sha256(_versions().encode()).hexdigest()[:16]}.pickle"


class DictionaryForms:
    """What label word a typed word is a case of, for the words of the labels it has learned."""

    def __init__(self, cache_file: Path | None = None) -> None:
        self._cache_file = cache_file
        self._stored: dict[str, tuple[str, ...]] | None = None  # word -> case forms, as read from the cache file
        self._learned: set[str] = set()
        self._of: dict[str, set[str]] = defaultdict(set)  # a case form -> the label words it is a form of
        self._known: set[str] = set()  # the learned words the dictionary declines

    def learn(self, words: Iterable[str]) -> None:
        """Know the case forms of these label words (normalized words; others than Cyrillic are skipped)."""
        new = {w for w in words if w not in self._learned and _CYRILLIC.fullmatch(w)}
        if not new:
            return
        stored = self._load()
        missing = sorted(new - stored.keys())
        if missing:
            stored.update((w, case_forms(w)) for w in missing)
            self._save(stored)
        for word in new:
            for form in stored[word]:
                self._of[form].add(word)
            if len(stored[word]) > 1:
                self._known.add(word)
        self._learned |= new

    def knows(self, word: str) -> bool:
        """Whether the dictionary declines the learned word ``word``: then ``label_words`` knows all its cases."""
        return word in self._known

    def label_words(self, word: str) -> frozenset[str]:
        """The learned label words ``word`` is a case form of; the word itself if none."""
        found = self._of.get(word)
        return frozenset(found) if found else frozenset((word,))

    def _path(self) -> Path:
        return self._cache_file or _cache_path()

    def _load(self) -> dict[str, tuple[str, ...]]:
        if self._stored is None:
            self._stored = {}
            path = self._path()
            if path.exists():
                try:
                    with path.open("rb") as f:
                        self._stored = pickle.load(f)
                except Exception:
                    logger.debug("ignoring the lemma cache %s", path)
        return self._stored

    def _save(self, stored: dict[str, tuple[str, ...]]) -> None:
        path = self._path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            logger.debug("cannot write the lemma cache %s: %s", path, exc)


def singular(phrase: str) -> str:
    """A plural heading as one of its kind: «Общества с ограниченной ответственностью» → «общество с
    ограниченной ответственностью», «Публичные акционерные общества» → «публичное акционерное общество».
    The adjectives before the first noun agree with it, a noun in brackets right after it follows it
    («Ассоциации (союзы)» → «ассоциация (союз)»); the phrase stays as written when it does not start plural."""
    words = phrase.split(" ")

    def plural_parse(word: str, pos: set[str]):
        core = word.strip("()«»,")
        for p in _analyzer().parse(core.lower()):
            if p.tag.POS in pos and "plur" in p.tag and "nomn" in p.tag:
                return p
        return None

    def put(i: int, new: str) -> None:
        core = words[i].strip("()«»,")
        if "ё" not in core.lower():
            new = new.replace("ё", "е")  # the heading's spelling: «партнерство» stays without «ё»
        words[i] = words[i].replace(core, new, 1)

    adjectives = []
    for i, word in enumerate(words):
        noun = plural_parse(word, {"NOUN"})
        adjective = None if noun else plural_parse(word, {"ADJF", "PRTF"})
        if adjective is not None:
            adjectives.append((i, adjective))
            continue
        if noun is None:
            return phrase
        one = noun.inflect({"sing", "nomn"})
        if one is None:
            return phrase
        gender = one.tag.gender
        put(i, one.word)
        for j, adj in adjectives:
            agreed = adj.inflect({"sing", "nomn", gender} if gender else {"sing", "nomn"})
            if agreed is not None:
                put(j, agreed.word)
        nxt = i + 1
        if nxt < len(words) and words[nxt].startswith("(") and words[nxt].endswith(")"):
            bracketed = plural_parse(words[nxt], {"NOUN"})
            agreed = bracketed.inflect({"sing", "nomn"}) if bracketed else None
            if agreed is not None:
                put(nxt, agreed.word)
        out = " ".join(words)
        return out[:1].lower() + out[1:] if len(out) > 1 and not out[1].isupper() else out
    return phrase
