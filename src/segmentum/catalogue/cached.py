"""The catalogue view of the shipped ontology and catalogue, made once and kept in the cache folder.

Reading the view from the store (a dozen SPARQL queries, 30,000 terms) and making its label indexes
(normalizing and stemming 2,500 labels) takes longer than checking one profile; both depend only on the
shipped files and the code that reads them, so the first use keeps them (``segmentum.cache``) and
later processes read them back. The label indexes are kept each pickled apart and unpickled when first
searched: checking one profile needs a few of the two hundred.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence
from pathlib import Path

from segmentum.cache import cache_file, code_digest, files_digest, read_cache, write_cache
from segmentum.catalogue.lemmas import DictionaryForms
from segmentum.catalogue.view import KIND_CLASSES, TOWNS_KEY, Catalogue, index_key
from segmentum.i18n.messages import Lang
from segmentum.store.embedded import Store

#: the modules whose code decides what the view holds: their source is part of the cache key
#: (``tests/test_layers.py`` checks that the list covers every module they import)
VIEW_MODULES = (
    "segmentum.cache",
    "segmentum.catalogue.cached",
    "segmentum.catalogue.labels",
    "segmentum.catalogue.lemmas",
    "segmentum.catalogue.settlements",
    "segmentum.catalogue.values",
    "segmentum.catalogue.view",
    "segmentum.errors",
    "segmentum.i18n.messages",
    "segmentum.i18n.plural",
    "segmentum.namespaces",
    "segmentum.output",
    "segmentum.resources",
    "segmentum.store.embedded",
    "segmentum.store.quads",
    "segmentum.store.sparql_text",
)

_FORMAT = "catalogue-view-1"
#: what is kept of the view besides its indexes; the store, the dictionary's forms and what is made on use are not
_NOT_KEPT = frozenset({"store", "word_forms", "_indexes", "_towns", "_scheme_keys", "stored_indexes"})


def shipped_catalogue(store: Store, files: Sequence[Path]) -> Catalogue:
    """The view of ``store``, which holds the shipped ontology and catalogue read from ``files``: kept from an
    earlier process when one made it for the same files and code, else read and kept for the next."""
    path = cache_file("catalogue", files_digest(files), code_digest(VIEW_MODULES))
    kept = read_cache(path)
    if isinstance(kept, dict) and kept.get("format") == _FORMAT:
        cat = Catalogue.__new__(Catalogue)
        cat.__dict__.update(kept["state"])
        cat.store = store
        cat.word_forms = DictionaryForms()
        cat._indexes, cat._towns, cat._scheme_keys = {}, None, {}
        cat.stored_indexes = dict(kept["indexes"])
        return cat
    cat = Catalogue(store)
    write_cache(path, {"format": _FORMAT, "state": {k: v for k, v in cat.__dict__.items() if k not in _NOT_KEPT},
                       "indexes": _every_index(cat)})
    return cat


def _every_index(cat: Catalogue) -> dict[str, bytes]:
    """Every label index a profile or a command may search, each pickled apart, without the dictionary's forms."""
    keys = []
    for lang in Lang:
        keys += [(kind, lang, None) for kind in [*KIND_CLASSES, "document"]]
        keys += [("attribute", lang, status) for status in cat.members("status")]
        keys += [("scheme:" + scheme, lang, None) for scheme in cat.scheme_values]
    out = {}
    for kind, lang, status in keys:
        out[index_key(kind, lang, status)] = _pickled(cat.index(kind, lang, status))
    out[TOWNS_KEY] = _pickled(cat.towns)
    return out


def _pickled(index) -> bytes:
    """An index pickled as made, before any lemma lookup: the dictionary's forms are learned by each process."""
    bare = copy.copy(index)
    bare.forms = None
    for made_on_use, empty in (("_lemmas", None), ("_learned", False)):
        if hasattr(bare, made_on_use):
            setattr(bare, made_on_use, empty)
    return pickle.dumps(bare, protocol=pickle.HIGHEST_PROTOCOL)
