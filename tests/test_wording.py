"""The wording package: every message key the code asks for exists in both languages, and every key is used;
the same for the expert table's sheet names, column headers and kind words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from segmentum.catalogue.table import SHEETS, local_name
from segmentum.i18n import headers
from segmentum.i18n.messages import MESSAGES, Lang, text
from segmentum.i18n.plural import form, plural_index

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "segmentum"
SOURCES = {p: p.read_text(encoding="utf-8") for p in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")] if "i18n" not in p.parts}
#: text("key" …), text(f"prefix.{…}" …), text("prefix." + …)
_LITERAL = re.compile(r"""\btext\(\s*["']([\w.-]+)["']""")
_DYNAMIC = re.compile(r"""\btext\(\s*(?:f["']([\w.-]*\.)\{|["']([\w.-]*\.)["']\s*\+)""")
#: a class whose first argument is a key under a prefix («keys = "shacl."», ``UnsupportedShapeError``)
_CLASS_PREFIX = re.compile(r"""\bkeys = ["']([\w.-]*\.)["']""")
_STRINGS = re.compile(r"""["']([\w-]+)["']""")


def _asked() -> set[str]:
    return {m.group(1) for src in SOURCES.values() for m in _LITERAL.finditer(src) if not m.group(1).endswith(".")}


def _prefixes() -> set[str]:
    return ({m.group(1) or m.group(2) for src in SOURCES.values() for m in _DYNAMIC.finditer(src)}
            | {m.group(1) for src in SOURCES.values() for m in _CLASS_PREFIX.finditer(src)})


def test_every_key_the_code_asks_for_exists():
    assert sorted(_asked() - MESSAGES.keys()) == []


def test_every_message_has_both_languages_with_the_same_fields():
    fields = re.compile(r"\{(\w+)")
    for key, forms in MESSAGES.items():
        assert set(forms) >= {"ru", "en"}, key
        assert set(fields.findall(forms["ru"])) == set(fields.findall(forms["en"])), key


def test_every_message_is_used():
    """A key is used if the code names it, or names its prefix dynamically and its suffix somewhere."""
    everything = "\n".join(SOURCES.values())
    words = {m.group(1) for m in _STRINGS.finditer(everything)} | set(re.findall(r"[\w-]+", everything))
    prefixes = _prefixes()
    unused = [k for k in MESSAGES if f'"{k}"' not in everything and f"'{k}'" not in everything
              and not any(k.startswith(p) and k[len(p):] in words for p in prefixes)]
    assert unused == []


@pytest.mark.parametrize("n, expected", [(0, "лет"), (1, "год"), (2, "года"), (4, "года"), (5, "лет"), (11, "лет"), (12, "лет"),
                                         (14, "лет"), (21, "год"), (22, "года"), (101, "год"), (111, "лет"), (1004, "года")])
def test_the_russian_plural_rule(n, expected):
    assert form(n, ("год", "года", "лет"), Lang.RU) == expected


def test_the_english_plural_rule():
    assert [plural_index(n, Lang.EN) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]


def test_a_missing_key_is_an_error_not_a_silent_fallback():
    with pytest.raises(KeyError):
        text("no.such.key", Lang.RU)


def test_every_column_of_the_query_library_has_a_word_and_every_word_a_column():
    from segmentum.i18n.columns import COLUMNS, column_word
    from segmentum.query.library import library

    declared = {c for q in library().values() for c in q.columns}
    for name in declared:
        assert column_word(name, Lang.RU) != name and column_word(name, Lang.EN) != name, name
    assert all(set(words) == {"ru", "en"} for words in COLUMNS.values())
    assert {k for k in COLUMNS if k not in declared and f"{k}Label" not in declared} == set()


def _table_words() -> dict[str, set[str]]:
    """The keys of i18n.headers the expert table asks for: sheets, columns, kinds."""
    return {"SHEETS": {s.key for s in SHEETS}, "COLUMNS": {c.words or c.key for s in SHEETS for c in s.columns},
            "KINDS": {local_name(k) for s in SHEETS for k in s.kinds}}


@pytest.mark.parametrize("table", ["SHEETS", "COLUMNS", "KINDS"])
def test_every_word_of_the_expert_table_exists_in_both_languages_and_is_used(table):
    words = getattr(headers, table)
    asked = _table_words()[table]
    assert sorted(asked - words.keys()) == []
    assert sorted(words.keys() - asked) == []
    assert [k for k, forms in words.items() if not (forms.get("ru") and forms.get("en"))] == []


@pytest.mark.parametrize("lang", list(Lang))
def test_a_sheets_headers_differ_so_a_table_reads_back_in_either_language(lang):
    for sheet in SHEETS:
        shown = [c.header(lang).casefold() for c in sheet.columns]
        assert len(set(shown)) == len(shown), sheet.key
    assert len({s.title(lang).casefold() for s in SHEETS}) == len(SHEETS)
