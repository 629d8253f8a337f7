"""Find the region a town's name means: «Сочи» is Krasnodar Krai, «г. Тольятти» is Samara Oblast.

The towns are the catalogue's ``sgm:settlement`` and ``sgm:administrativeCentre`` names of each
region. A name is compared first as written, give or take case, «ё»/«е», a leading «г.» or «город»
and a hyphen written as a space («Ростов на Дону»); then each word as a case of the name's word by
the dictionary («в Орле», «в Вышнем Волочке»); then by word stems, so that an inflected name the
dictionary does not know is found too. A name shared by towns of several regions («Мирный») gives
every region, for the caller to ask which one was meant.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from segmentum.catalogue.labels import STOP_WORDS, WordForms, key_words, lemma_keys, normalize, stem_key, stems_of

_TOWN_WORD = re.compile(r"^(?:г\.?|гор\.|город)\s+")
_ENDING = re.compile(r"[аеиоуыэюяйь]{1,2}$")  # what declension changes at the end of a Russian word
_CASE_ENDING = re.compile(r"[аеиоуыэюяйь]{0,2}[мхв]?[аеиоуыэюяйь]?")  # what it puts there: «-е», «-ах», «-ами», «-ом»


def town_key(text: str) -> str:
    """A town's name without case, «ё», a leading «г.» or «город», with hyphens written as spaces."""
    t = _TOWN_WORD.sub("", normalize(text))
    return re.sub(r"[\s-]+", " ", t).strip()


def inflected_form(text: str, name: str, forms: WordForms | None = None) -> bool:
    """Whether ``text`` is ``name`` declined: each word keeps the name's word up to its ending («в Набережных
    Челнах», «Нижнем Новгороде», «Перми»), and what follows is a case ending. Words of one stem that are not
    the name are not («любой» and «Любим» have the stem «люб», «Урал» and «Урай» the stem «ура»). A word of the
    name the dictionary declines (``forms``, its words learned) is declined only into its cases: «Ленинская»
    is not «Ленинск», «Мирная» not «Мирный»."""
    def words(t: str) -> list[str]:
        return [w for w in re.split(r"[\s-]+", town_key(t)) if w and w not in STOP_WORDS]
    typed, named = words(text), words(name)
    def declined(word: str, name_word: str) -> bool:
        if forms is not None and forms.knows(name_word):
            return name_word in forms.label_words(word)
        base = _ENDING.sub("", name_word) or name_word
        rest = word[len(base):]
        if base == name_word and rest.endswith("й"):  # «Ленинский» is an adjective, not a case of «Ленинск»
            return False
        return word.startswith(base) and bool(_CASE_ENDING.fullmatch(rest))
    return len(typed) == len(named) and all(declined(w, n) for w, n in zip(typed, named))


def town_words(text: str) -> list[str]:
    """The words of a town's name, without «г.», «город» and a preposition («в Ростове-на-Дону»: «ростове», «дону»)."""
    return key_words(re.sub(r"-", " ", str(text)))


def town_stem_key(text: str) -> str:
    """The word stems of a town's name («в Ростове-на-Дону» and «Ростов-на-Дону» have the same)."""
    return stem_key(re.sub(r"-", " ", str(text)))


@dataclass(frozen=True)
class Town:
    """A town of a region, as the catalogue names it."""

    name: str  # the name in the catalogue, for messages («Набережные Челны»)
    region: str  # region IRI
    centre: bool = False  # the region's administrative centre


@dataclass
class SettlementIndex:
    """The towns of the catalogue's regions, by name."""

    exact: dict[str, set[Town]] = field(default_factory=lambda: defaultdict(set))
    stems: dict[str, set[Town]] = field(default_factory=lambda: defaultdict(set))
    forms: WordForms | None = None  # the dictionary's case forms; without it no lemma level
    lemmas: dict[str, set[Town]] = field(default_factory=lambda: defaultdict(set))  # a name's words -> towns
    _learned: bool = False

    def add(self, region: str, names: Iterable[str], *, centre: bool = False) -> None:
        for name in names:
            town = Town(str(name), region, centre)
            if key := town_key(name):
                self.exact[key].add(town)
            if words := town_words(name):
                self.stems[stems_of(words)].add(town)
                self.lemmas[" ".join(words)].add(town)
                self._learned = False

    def lookup(self, text: str, *, level: str = "exact") -> list[Town]:
        """The towns ``text`` names, one per region, sorted by region: as written (``exact``), each word a case
        of the name's word by the dictionary (``lemma``), or by word stems (``inflected``).

        A regional centre wins over its smaller namesakes: «Киров» is Kirov Oblast's centre, not the
        town of Kaluga Oblast, as a methodologist writing it means (two centres of one name would
        still be asked about)."""
        if level == "inflected":
            self._learn()
            found = {t for t in self.stems.get(town_stem_key(text), set()) if inflected_form(text, t.name, self.forms)}
        elif level == "lemma":
            found = self._by_lemma(text)
        else:
            found = self.exact.get(town_key(text), set())
        centres = {t for t in found if t.centre}
        if len({t.region for t in centres}) == 1:
            found = centres
        by_region: dict[str, Town] = {}
        for town in sorted(found, key=lambda t: (t.region, t.name)):
            by_region.setdefault(town.region, town)
        return list(by_region.values())

    def _learn(self) -> None:
        if self.forms is not None and not self._learned:  # the case forms of every town's words, once
            self.forms.learn(w for key in self.lemmas for w in key.split())
            self._learned = True

    def _by_lemma(self, text: str) -> set[Town]:
        if self.forms is None:
            return set()
        self._learn()
        return {t for key in lemma_keys(town_words(text), self.forms) for t in self.lemmas.get(key, ())}

    def suggest(self, text: str, n: int = 3) -> list[Town]:
        """Towns spelled much like ``text`` («Тольяти» → «Тольятти»), closest first, for «did you mean»."""
        key = town_key(text)
        if len(key) < 4:
            return []
        close = difflib.get_close_matches(key, list(self.exact), n=n, cutoff=0.8)
        return [t for k in close for t in sorted(self.exact[k], key=lambda t: (t.region, t.name))][:n]

    def __len__(self) -> int:
        return len({t for towns in self.exact.values() for t in towns})
