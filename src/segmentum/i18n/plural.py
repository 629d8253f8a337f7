"""Plural forms, stated once as data: CLDR's cardinal rules for whole numbers.

Russian has three forms: «1 год, 21 год» (one), «2 года, 34 года» (few), «5 лет, 11 лет, 0 лет»
(many); English two. A word's forms are listed in that order, and ``form`` picks one.
"""

from __future__ import annotations

from collections.abc import Sequence

from segmentum.i18n.messages import Lang

#: per language, in order: (the last digit of n, the last two digits it must not have) → form index;
#: the form after the listed ones is the default (CLDR, «Language Plural Rules», integers only)
RULES: dict[str, tuple[tuple[frozenset[int], frozenset[int]], ...]] = {
    "ru": ((frozenset({1}), frozenset({11})), (frozenset({2, 3, 4}), frozenset({12, 13, 14}))),
}


def plural_index(n: int, lang: Lang = Lang.RU) -> int:
    """The index of the plural form of ``n`` in ``lang`` (Russian: 0 one, 1 few, 2 many; English: 0 one, 1 other)."""
    code = Lang(lang).value
    n = abs(int(n))
    rules = RULES.get(code)
    if rules is None:
        return 0 if n == 1 else 1
    for index, (last_digit, not_last_two) in enumerate(rules):
        if n % 10 in last_digit and n % 100 not in not_last_two:
            return index
    return len(rules)


def form(n: int, forms: Sequence[str], lang: Lang = Lang.RU) -> str:
    """The form of a word that goes with ``n``: ``form(3, ("год", "года", "лет"))`` is «года»."""
    return forms[plural_index(n, lang)]
