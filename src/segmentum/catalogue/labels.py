"""Match what a methodologist typed against catalogue labels.

Matching is tolerant of the ways people write the same label: case, «ё»/«е», dash and hyphen
variants, spaces around dashes, quotes, a trailing full stop, an explanatory part in brackets
(«Республика Татарстан (Татарстан)»), Russian inflection, and Latin letters that look like Cyrillic
ones typed inside a Russian word («Грaжданин» with a Latin «a»). Inflection is matched first by the
dictionary («в Орле» is «Орёл», «в Московской области» is «Московская область»: each word a case
of a label's word, see ``lemmas``), then by Snowball stems for the words the dictionary does not
know. When nothing matches, the closest labels are offered for «did you mean».
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product
from typing import Protocol

from rapidfuzz import fuzz, process

from segmentum.cache import cache_file, code_digest, read_cache, write_cache

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_QUOTES = re.compile(r"[«»\"“”„'‘’]")
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a soft hyphen, zero-width characters
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # a hyphen between two letters
_PARENS = re.compile(r"\s*\([^)]*\)")
STOP_WORDS = frozenset({"в", "во", "на", "из", "с", "со", "по", "через", "проживает", "живет", "г", "город"})


#: abbreviations with a full stop written in profiles, expanded before words are compared
_ABBREVIATIONS = {
    "обл": "область", "респ": "республика", "мед": "медицинская", "гос": "государственная",
    "муниц": "муниципальная", "ао": "автономный округ", "фз": "федеральный закон", "st": "saint",
    "кр": "край", "эл": "электронная", "юр": "юридическое", "физ": "физическое",
}
#: abbreviations recognised without their full stop as well: «Краснодарский кр», «юр лицо»
_BARE_ABBREVIATIONS = frozenset({"обл", "респ", "кр", "юр", "физ"})
#: acronyms and short words of official writing, expanded wherever they stand (in labels too):
#: «советник ГГС РФ 2 класса», «регистрация ТС», «Уральский ФО», «юрлицо», «ЮЛ», «ЛК ведомства»
_ACRONYMS = {
    "рф": "российская федерация", "ггс": "государственная гражданская служба", "фо": "федеральный округ",
    "тс": "транспортное средство", "юл": "юридическое лицо", "юрлицо": "юридическое лицо",
    "фл": "физическое лицо", "физлицо": "физическое лицо", "лк": "личный кабинет",
}
#: the inflected forms of the compound words among them («юрлица», «физлицом»), by stem
_ACRONYM_STEMS = {"юрлиц": "юридическое лицо", "физлиц": "физическое лицо"}
_ACRONYM_STEM_STARTS = tuple(_ACRONYM_STEMS)

#: Latin letters that look like Cyrillic ones; in a word that has Cyrillic letters they are Cyrillic
#: («Грaжданин», «Рoстовская» typed with a Latin «a», «o» from a switched keyboard or a copied text)
_LOOK_ALIKES = str.maketrans("aceopxyk", "асеорхук")
_MIXED_WORD = re.compile(r"\w*(?:[a-z]\w*[а-я]|[а-я]\w*[a-z])\w*")
#: a code of letters round a digit is Latin («В2В», «В2С» typed in Cyrillic are «B2B», «B2C»)
_CYRILLIC_TO_LATIN = str.maketrans("авекмнорстух", "abekmhopctyx")
_CODE_WORD = re.compile(r"\b[a-zавекмнорстух]+\d+[a-zавекмнорстух]+\b")

#: stems of words that name no value alone («другое», «иное», «прочее», «любой»): a value with such a word in
#: its name («… и другие сопутствующие услуги») is not what «другое» means
#: a text longer than this names nothing in a catalogue (the longest label, an act's title, has some 450
#: characters): it is not looked up, as stemming and comparing a long text take seconds
MAX_NAME = 1000
_GENERIC_STEMS = frozenset({"друг", "ин", "проч", "все", "люб", "разн", "остальн", "other", "others", "any", "all"})

#: words that mean the same in labels («Sverdlovsk Region» is the catalogue's «Sverdlovsk Oblast»)
_SYNONYMS = {"region": "oblast"}


def normalize(text: str) -> str:
    """Lower-case, unify «ё», dashes, quotes and spaces and Latin look-alikes in Cyrillic words; drop a trailing full stop."""
    return _normalize(str(text))


#: texts normalized, stemmed and split into key words are kept: the same labels and keys come back in every file
_MEMO = 1 << 16


@lru_cache(maxsize=_MEMO)
def _normalize(text: str) -> str:
    t = _INVISIBLE.sub("", text).casefold().replace("ё", "е")
    t = _CODE_WORD.sub(lambda m: m.group(0).translate(_CYRILLIC_TO_LATIN), t)
    t = _MIXED_WORD.sub(lambda m: m.group(0).translate(_LOOK_ALIKES), t)
    t = _DASHES.sub("-", t)
    t = _WORD_HYPHEN.sub(" ", t)  # «Санкт Петербург» is «Санкт-Петербург», «учитель предметник» is «учитель-предметник»
    t = _QUOTES.sub("", t)
    t = _SPACE.sub(" ", t).strip()
    t = re.sub(r"\s*-\s*", "-", t) if re.search(r"\d\s*-\s*\d", t) else t
    t = re.sub(r"(\d)\s*-?\s*(фз|фкз)\b", r"\1-\2", t)  # «44 ФЗ», «44ФЗ» are «44-ФЗ»
    return t.rstrip(".;,: ").strip()


@lru_cache(maxsize=1)
def _stemmer():
    # the Russian algorithm alone: ``snowballstemmer.stemmer`` imports those of thirty languages
    from snowballstemmer.russian_stemmer import RussianStemmer

    return RussianStemmer()


def stem_key(text: str) -> str:
    """A key of word stems that ignores inflection, brackets, abbreviations and a few function words."""
    return _stem_key(str(text))


@lru_cache(maxsize=_MEMO)
def _stem_key(text: str) -> str:
    return " ".join(_stems(normalize(_PARENS.sub("", text))))


def key_words(text: str) -> list[str]:
    """The words ``stem_key`` stems, unstemmed: normalized, without brackets and function words, abbreviations expanded."""
    return list(_key_words(str(text)))


@lru_cache(maxsize=_MEMO)
def _key_words(text: str) -> tuple[str, ...]:
    return tuple(_words(normalize(_PARENS.sub("", text))))


def _stems(normalized: str) -> list[str]:
    """The stems of a normalized text's words, in order, with abbreviations and acronyms expanded."""
    return [_stem_word(w) for w in _words(normalized)]


def stems_of(words: list[str]) -> str:
    """``stem_key`` of a text from its ``key_words``."""
    return " ".join(_stem_word(w) for w in words)


@lru_cache(maxsize=_MEMO)
def _stem_word(word: str) -> str:
    return _stemmer().stemWord(word)


def _words(normalized: str) -> list[str]:
    """A normalized text's words, in order, without function words, with abbreviations and acronyms expanded."""
    words = []
    for w in re.findall(r"[\w+-]+\.?", normalized):
        bare = w.rstrip(".")
        if bare in STOP_WORDS:
            continue
        expanded = _ACRONYMS.get(bare) or _inflected_acronym(bare)
        if expanded:
            words += expanded.split()
        elif w.endswith(".") or bare in _BARE_ABBREVIATIONS:  # the final full stop is gone: «Краснодарский кр.»
            words += _ABBREVIATIONS.get(bare, bare).split()
        else:
            words.append(_SYNONYMS.get(bare, bare))
    return words


def _inflected_acronym(word: str) -> str | None:
    """What an inflected compound acronym stands for («юрлица», «физлицом»); a stem is the start of its
    word, so only the words that start with one are stemmed here (every word is stemmed once afterwards)."""
    if not word.startswith(_ACRONYM_STEM_STARTS):
        return None
    return _ACRONYM_STEMS.get(_stemmer().stemWord(word))


class WordForms(Protocol):
    """Which label word a typed word is a case form of (``lemmas.DictionaryForms``)."""

    def learn(self, words: Iterable[str]) -> None: ...

    def label_words(self, word: str) -> frozenset[str]: ...

    def knows(self, word: str) -> bool: ...


#: at most this many keys for one text: a word that is a case of two label words doubles them
_MAX_LEMMA_KEYS = 64


def lemma_keys(words: list[str], forms: WordForms) -> list[str]:
    """The label words ``words`` may be cases of, as keys: one per combination when a word is a case of several
    («мирном» of «мирный» and «мирное»), at most ``_MAX_LEMMA_KEYS``."""
    if not words:
        return []
    return [" ".join(p) for p in islice(product(*(sorted(forms.label_words(w)) for w in words)), _MAX_LEMMA_KEYS)]


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
    bags: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # a label's stems in any order
    items: dict[str, Candidate] = field(default_factory=dict)
    all_labels: dict[str, str] = field(default_factory=dict)  # normalized label -> iri
    stem_tokens: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (label stems in order, iri)
    one_word: bool = False  # may one word of a label name its item (values of a scheme, not generic names)
    forms: WordForms | None = None  # the dictionary's case forms; without it no lemma level
    label_words: list[tuple[list[str], str]] = field(default_factory=list)  # (a label's key words, iri)
    _lemmas: dict[str, set[str]] | None = None  # a label's key words -> iris, made on the first lemma lookup

    def add(self, candidate: Candidate, labels: Iterable[str]) -> None:
        self.items.setdefault(candidate.iri, candidate)
        self._lemmas = None
        for label in labels:
            if not str(label).strip():
                continue
            words = key_words(label)
            if self.forms is not None and words:
                self.label_words.append((words, candidate.iri))
            n = normalize(label)
            self.exact[n].add(candidate.iri)
            self.all_labels.setdefault(n, candidate.iri)
            np = normalize(_PARENS.sub("", str(label)))
            if np and np != n:
                self.exact[np].add(candidate.iri)
            sk = stems_of(words)
            if sk:
                self.stems[sk].add(candidate.iri)
                self.bags[_bag(sk)].add(candidate.iri)
            # the words in brackets count for a partial match: «справка 2-НДФЛ» is «… (2-НДФЛ)»
            tokens = stem_key(_PARENS.sub(lambda m: " " + m.group(0).strip(" ()") + " ", str(label)))
            if tokens:
                self.stem_tokens.append((tuple(tokens.split()), candidate.iri))

    def lookup(self, text: str, levels: Iterable[str] = ("exact", "lemma", "stem", "words", "partial")) -> list[Candidate]:
        """All items the text can mean: exact (normalized) matches first, else each word a case of a label's
        word (by the dictionary), else stem matches, else the same words in another order («розничная
        торговля …» for the classifier's «Торговля розничная …»), else partial.

        ``levels`` limits the kinds of match tried, for a caller that looks elsewhere in between.
        """
        if len(text) > MAX_NAME:
            return []
        levels = set(levels)
        hits: set[str] = set()
        if "exact" in levels:
            hits = self.exact.get(normalize(text)) or self.exact.get(normalize(_PARENS.sub("", str(text)))) or set()
        if not hits and "lemma" in levels and self.forms is not None:
            hits = self._by_lemma(text)
        if not hits and "stem" in levels:
            hits = self.stems.get(stem_key(text), set())
        if not hits and "words" in levels:
            hits = self.bags.get(_bag(stem_key(text)), set()) if " " in stem_key(text) else set()
        if not hits and "partial" in levels:
            hits = self._partial(text)
        return sorted((self.items[i] for i in hits), key=lambda c: c.iri)

    def _by_lemma(self, text: str) -> set[str]:
        """Items with a label whose words ``text``'s words are cases of, in order («в Орле» → «Орёл»)."""
        assert self.forms is not None
        if self._lemmas is None:  # once per index: the case forms of all its labels' words learned
            self.forms.learn(w for words, _ in self.label_words for w in words)
            self._lemmas = defaultdict(set)
            for words, iri in self.label_words:
                self._lemmas[" ".join(words)].add(iri)
        return {iri for key in lemma_keys(key_words(text), self.forms) for iri in self._lemmas.get(key, ())}

    def _partial(self, text: str) -> set[str]:
        """Items with a label that holds every word of the text, in the text's order, if only one item has.

        In an index of values (``one_word``), one word is enough when it is a whole word of the
        label and at least four letters long («Свердловская» → «Свердловская область», «третья» →
        «третья группа», «Tatarstan» → «Republic of Tatarstan»); elsewhere a single word is too
        generic («бизнес»). Two or more words may also be shortened («педагогов» for «педагогических»).
        The words must come in the label's order: people drop words of a long name, they do not
        reorder them, and «сайт министерства» is not «Центр Министерства обороны (сайт …)».
        """
        words = stem_key(text).split()
        if not words:
            return set()
        if len(words) == 1:
            (word,) = words
            found = {iri for tokens, iri in self.stem_tokens if word in tokens}
            one = self.one_word and len(found) == 1 and len(normalize(text)) >= 4 and not word.isdigit() and word not in _GENERIC_STEMS
            return found if one else set()
        found = {iri for tokens, iri in self.stem_tokens if _in_order(words, tokens, lambda w, t: w == t)}
        if not found:  # words may be shortened: «педагогов» for «педагогических»
            found = {iri for tokens, iri in self.stem_tokens if _in_order(words, tokens, _shortened)}
        return found if len(found) == 1 else set()

    def search(self, text: str, limit: int = 50) -> list[Candidate]:
        """Items for a search box, best first: a label written as typed, then the same words inflected,
        then labels whose words start with every word typed (in any order: «форма правов» finds
        «организационно-правовая форма»; the last word may be unfinished), then labels that hold the text
        as written (a code «01.11», «209-ФЗ»). Synonyms and English labels count like the preferred label."""
        key = normalize(text)
        if not key:
            return []
        rank: dict[str, int] = {}

        def found(iris: Iterable[str], level: int) -> None:
            for iri in iris:
                rank[iri] = min(rank.get(iri, level), level)

        found(self.exact.get(key, ()), 0)
        found(self.stems.get(stem_key(text), ()), 1)
        words = stem_key(text).split()
        if words:
            found((iri for tokens, iri in self.stem_tokens if all(any(t.startswith(w) for t in tokens) for w in words)), 2)
        found((iri for label, iris in self.exact.items() if key in label for iri in iris), 3)
        ordered = sorted(rank, key=lambda iri: (rank[iri], self.items[iri].label.casefold(), iri))
        return [self.items[iri] for iri in ordered[:limit]]

    def suggest(self, text: str, n: int = 3) -> list[Candidate]:
        """The closest items by label, for «did you mean».

        First labels spelled alike; for a text of one to three letters («РБ») only those that start
        with the same letter, as a short text is alike to too much. Then labels that hold the text
        or are held by it («московская» → «московская область»); then items that share the most
        words with it («сайт Минпросвещения» → the sites).
        """
        if len(text) > MAX_NAME:
            return []
        key = normalize(text)
        close = difflib.get_close_matches(key, _alike(key, self.all_labels), n=n * 3, cutoff=0.6)
        if len(key) <= 3:
            close = [lab for lab in close if lab[:1] == key[:1]]
        if not close and len(key) > 3:
            close = [lab for lab in self.all_labels if key in lab or lab in key][: n * 3]
        seen: list[Candidate] = []
        for label in close:
            c = self.items[self.all_labels[label]]
            if c not in seen:
                seen.append(c)
        if not seen:
            seen = self._sharing_words(text, n)
        return seen[:n]

    def _sharing_words(self, text: str, n: int) -> list[Candidate]:
        """Items whose labels share the most words (of three letters or more) with the text."""
        words = {w for w in stem_key(text).split() if len(w) >= 3}
        best: dict[str, int] = {}
        for tokens, iri in self.stem_tokens:
            shared = len(words & set(tokens))
            if shared:
                best[iri] = max(best.get(iri, 0), shared)
        key = normalize(text)
        ranked = sorted(best, key=lambda iri: (-best[iri], -difflib.SequenceMatcher(None, key, normalize(self.items[iri].label)).ratio(), iri))
        return [self.items[iri] for iri in ranked[:n]]

    def __len__(self) -> int:
        return len(self.items)


def broadest(hits: list[Candidate], broader: Callable[[str], str | None]) -> list[Candidate]:
    """Of values named alike, the one all others are narrower than (by ``broader``, one level up), if there is one:
    ОКВЭД2 names group 01.3 and its only class 01.30 alike («Выращивание рассады»), and the group covers the class."""
    def above(value: str, ancestor: str) -> bool:
        seen: set[str] = set()
        up = broader(value)
        while up and up not in seen:
            if up == ancestor:
                return True
            seen.add(up)
            up = broader(up)
        return False

    for c in hits:
        if all(other.iri == c.iri or above(other.iri, c.iri) for other in hits):
            return [c]
    return hits


def _alike(key: str, labels: Iterable[str]) -> list[str]:
    """The labels difflib may find close to ``key`` (ratio ≥ 0.6), found fast: difflib's ratio never exceeds the
    ratio of the longest common subsequence that rapidfuzz computes, so none is left out and difflib's choice
    among them is unchanged."""
    return [label for label, _, _ in process.extract(key, list(labels), scorer=fuzz.ratio, limit=None, score_cutoff=60)]


#: an index of at least this many items is kept on disk: ОКВЭД2's 2,899 values take seconds to stem
CACHED_INDEX = 500


def cached_index(entries: list[tuple[Candidate, list[str]]], *, one_word: bool, forms: WordForms | None) -> LabelIndex:
    """The index of ``entries`` (a candidate and all its names), read from the user's cache (``segmentum.cache``)
    when the same entries were indexed before by the same code: a classifier loaded into any catalogue,
    shipped or the user's own, is stemmed once."""
    path = cache_file("labels", code_digest(("segmentum.catalogue.labels",)), repr((one_word, [(c.iri, c.label, names) for c, names in entries])))
    idx = read_cache(path)
    if isinstance(idx, LabelIndex):
        idx.forms = forms
        return idx
    idx = LabelIndex(one_word=one_word, forms=forms)
    for candidate, names in entries:
        idx.add(candidate, names)
    idx.forms = None  # the dictionary is not stored with the index
    write_cache(path, idx)
    idx.forms = forms
    return idx


def _bag(stems: str) -> str:
    """A stem key with its words in a fixed order: the same words in any order give the same bag."""
    return " ".join(sorted(stems.split()))


def _shortened(word: str, token: str) -> bool:
    return word == token or (len(word) >= 3 and token.startswith(word))


def _in_order(words: list[str], tokens: tuple[str, ...], same) -> bool:
    """Whether each word matches a token, in the words' order (other tokens may stand between)."""
    i = 0
    for word in words:
        while i < len(tokens) and not same(word, tokens[i]):
            i += 1
        if i == len(tokens):
            return False
        i += 1
    return True
