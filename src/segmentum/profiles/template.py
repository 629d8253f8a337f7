"""Write a ready-to-fill profile file for a status and a life situation or service.

The template lists the status's main template attributes first, then the attributes whose sources
(articles of the acts, fields of the forms) belong to the life situation or service, most-supported
first. Values are left empty, with the allowed values in a comment; an unfilled template loads.
"""

from __future__ import annotations

from collections import Counter

import yaml
from rdflib import URIRef

from segmentum.catalogue.view import Catalogue
from segmentum.catalogue.wording import value_summary
from segmentum.i18n.messages import Lang, text
from segmentum.resources import sparql


def documents_of(cat: Catalogue, life_situations: list[str], services: list[str]) -> set[str]:
    """The acts and forms linked to the life situations and services (and the services of the life situations)."""
    docs: set[str] = set()
    services = list(services)
    for ls in life_situations:
        links = cat.life_situation_links.get(ls, {})
        docs |= links.get("act", set()) | links.get("form", set())
        services += sorted(links.get("service", set()))
    if services:
        rows = cat.store.select(sparql("profiles/template-documents.rq"), bindings={"service": [URIRef(s) for s in services]})
        docs |= {str(r["d"]) for r in rows}
    return docs


def ranked_attributes(cat: Catalogue, status: str, docs: set[str]) -> list[tuple[str, int]]:
    """Attributes of ``status`` with the number of their sources among ``docs``, most first."""
    counts: Counter[str] = Counter()
    for info in cat.attributes.values():
        if status not in info.statuses:
            continue
        n = sum(1 for s in info.sources if s in cat.sources and cat.sources[s].document in docs)
        if n:
            counts[info.iri] = n
    return sorted(counts.items(), key=lambda kv: (-kv[1], cat.label(kv[0]).casefold()))


def _scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("\n...").strip()


def profile_template(
    cat: Catalogue, *, status: str, life_situations: list[str], services: list[str], profile_id: str | None = None, lang: Lang = Lang.RU
) -> str:
    """The YAML text of a new profile (see ``docs/profile-format.md``).

    Without ``profile_id`` the ``id`` line is a comment, so the profile takes its file's name and
    two templates in one folder do not clash.
    """
    main = cat.main_attributes.get(status, [])
    docs = documents_of(cat, life_situations, services)
    extra = [a for a, _ in ranked_attributes(cat, status, docs) if a not in main]
    id_line = f"id: {_scalar(profile_id)}" if profile_id else f"# id: …  # {text('template.id_comment', lang)}"
    lines = [f"# {text('template.comment', lang)}", id_line, 'title: ""', f"status: {_scalar(cat.label(status, lang))}"]
    for key, items in (("life_situation", life_situations), ("service", services)):
        if len(items) == 1:
            lines.append(f"{key}: {_scalar(cat.label(items[0], lang))}")
        elif items:
            lines.append(f"{key}:")
            lines += [f"  - {_scalar(cat.label(i, lang))}" for i in items]
    lines += ["# service_region: Москва", "stage: I", "attributes:"]
    for a in main:
        lines.append(f"  {_scalar(cat.label(a, lang))}:  # {value_summary(cat, cat.attributes[a], lang, limit=6)}")
    if extra:
        lines.append("  # " + ("признаки из НПА и форм" if lang is Lang.RU else "attributes from the acts and forms"))
        for a in extra:
            lines.append(f"  # {cat.label(a, lang)}:  # {value_summary(cat, cat.attributes[a], lang, limit=6)}")
    lines += ["journey_features: []", "channels:", "  informing: []", "  service: []", "pains: []", "hypotheses: []", "priority: {}", 'notes: ""']
    return "\n".join(lines) + "\n"
