"""Export the ontology, the catalogue and the loaded profiles as one RDF document."""

from __future__ import annotations

from enum import Enum

from segmentum.engine.namespaces import CATALOGUE_GRAPH, GRAPH, ONTOLOGY_GRAPH
from segmentum.engine.store import Store


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
