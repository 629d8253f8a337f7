"""Find the region a town's name means: «Сочи» is Krasnodar Krai, «г. Тольятти» is Samara Oblast.

The towns are the catalogue's ``sgm:settlement`` and ``sgm:administrativeCentre`` names of each
region. A name is compared first as written, give or take case, «ё»/«е», a leading «г.» or «город»
and a hyphen written as a space («Ростов на Дону»); then by word stems, so that an inflected name
is found too («в Набережных Челнах»). A name shared by towns of several regions («Мирный») gives
every region, for the caller to ask which one was meant.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from segmentum.catalogue.labels import STOP_WORDS, normalize, stem_key

_TOWN_WORD = re.compile(r"^(?:г\.?|гор\.|город)\s+")
_ENDING = re.compile(r"[аеиоуыэюяйь]{1,2}$")  # what declension changes at the end of a Russian word
_CASE_ENDING = re.compile(r"[аеиоуыэюяйь]{0,2}[мхв]?[аеиоуыэюяйь]?")  # what it puts there: «-е», «-ах», «-ами», «-ом»


def town_key(text: str) -> str:
    """A town's name without case, «ё», a leading «г.» or «город», with hyphens written as spaces."""
    t = _TOWN_WORD.sub("", normalize(text))
    return re.sub(r"[\s-]+", " ", t).strip()


def inflected_form(text: str, name: str) -> bool:
    """Whether ``text`` is ``name`` declined: each word keeps the name's word up to its ending («в Набережных
    Челнах», «Нижнем Новгороде», «Перми»), and what follows is a case ending. Words of one stem that are not
    the name are not («любой» and «Любим» have the stem «люб», «Урал» and «Урай» the stem «ура»)."""
    def words(t: str) -> list[str]:
        return [w for w in re.split(r"[\s-]+", town_key(t)) if w and w not in STOP_WORDS]
    typed, named = words(text), words(name)
    def declined(word: str, name_word: str) -> bool:
        base = _ENDING.sub("", name_word) or name_word
        rest = word[len(base):]
        if base == name_word and rest.endswith("й"):  # «Ленинский» is an adjective, not a case of «Ленинск»
            return False
        return word.startswith(base) and bool(_CASE_ENDING.fullmatch(rest))
    return len(typed) == len(named) and all(declined(w, n) for w, n in zip(typed, named))


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

    def add(self, region: str, names: Iterable[str], *, centre: bool = False) -> None:
        for name in names:
            town = Town(str(name), region, centre)
            if key := town_key(name):
                self.exact[key].add(town)
            if key := town_stem_key(name):
                self.stems[key].add(town)

    def lookup(self, text: str, *, inflected: bool = False) -> list[Town]:
        """The towns ``text`` names, one per region, sorted by region; by word stems if ``inflected``.

        A regional centre wins over its smaller namesakes: «Киров» is Kirov Oblast's centre, not the
        town of Kaluga Oblast, as a methodologist writing it means (two centres of one name would
        still be asked about)."""
        if inflected:
            found = {t for t in self.stems.get(town_stem_key(text), set()) if inflected_form(text, t.name)}
        else:
            found = self.exact.get(town_key(text), set())
        centres = {t for t in found if t.centre}
        if len({t.region for t in centres}) == 1:
            found = centres
        by_region: dict[str, Town] = {}
        for town in sorted(found, key=lambda t: (t.region, t.name)):
            by_region.setdefault(town.region, town)
        return list(by_region.values())

    def suggest(self, text: str, n: int = 3) -> list[Town]:
        """Towns spelled much like ``text`` («Тольяти» → «Тольятти»), closest first, for «did you mean»."""
        key = town_key(text)
        if len(key) < 4:
            return []
        close = difflib.get_close_matches(key, list(self.exact), n=n, cutoff=0.8)
        return [t for k in close for t in sorted(self.exact[k], key=lambda t: (t.region, t.name))][:n]

    def __len__(self) -> int:
        return len({t for towns in self.exact.values() for t in towns})
