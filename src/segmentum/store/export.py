"""Export the ontology, the catalogue and the loaded profiles as one RDF document."""

from __future__ import annotations

from enum import Enum

from segmentum.namespaces import CATALOGUE_GRAPH, GRAPH, ONTOLOGY_GRAPH
from segmentum.resources import sparql
from segmentum.store.embedded import Store
from segmentum.store.turtle import canonical_turtle


class ExportFormat(str, Enum):
    """RDF formats of ``segmentum export``; TriG, N-Quads and JSON-LD keep the named graphs."""

    TURTLE = "ttl"
    JSON_LD = "jsonld"
    N_TRIPLES = "nt"
    N_QUADS = "nq"
    TRIG = "trig"


def export_graphs(store: Store, fmt: ExportFormat, *, ontology: bool = True, catalogue: bool = True) -> bytes:
    """Serialize the chosen graphs: ontology, catalogue, and every profile graph in the store."""
    graphs = []
    if ontology:
        graphs.append(ONTOLOGY_GRAPH)
    if catalogue:
        graphs.append(CATALOGUE_GRAPH)
    graphs += [g for g in store.graphs() if str(g).startswith(f"{GRAPH}profile/")]
    return store.dump(graphs=graphs, fmt=fmt.value)


def cpsv_ap_query() -> str:
    """The shipped SPARQL CONSTRUCT that maps the catalogue to CPSV-AP 3.2 (``exports/cpsv-ap.rq``)."""
    return sparql("exports/cpsv-ap.rq")


def export_cpsv_ap(store: Store, fmt: ExportFormat = ExportFormat.TURTLE) -> bytes:
    """Public services, events, legal resources, evidence types, channels and authorities in CPSV-AP 3.2.

    Turtle is written in the project's canonical form, so the output is stable and diffable.
    """
    graph = store.construct(cpsv_ap_query())
    if fmt is ExportFormat.TURTLE:
        header = "# CPSV-AP 3.2: public services of the segmentum catalogue (segmentum export --as cpsv-ap).\n"
        return canonical_turtle(graph, header=header).encode("utf-8")
    if fmt in (ExportFormat.N_QUADS, ExportFormat.TRIG):
        fmt = ExportFormat.N_TRIPLES if fmt is ExportFormat.N_QUADS else ExportFormat.TURTLE
    return graph.serialize(format={"jsonld": "json-ld", "nt": "nt", "ttl": "turtle"}[fmt.value], encoding="utf-8")
