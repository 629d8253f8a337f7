"""Generate many segment profiles over the real catalogue, as the profile loader would store them.

    python bench/generate.py profiles.nq --profiles 50000   # e.g. the --data file of bench/query.py

Each profile is about 25 triples in its own named graph; about one in ten has one defect of a kind
the profile shapes find. Deterministic for a given seed, so runs can be compared.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from segmentum.catalogue.view import Catalogue
from segmentum.namespaces import CH, PROF, SGM, ST, VAL, profile_graph

STAGES = [SGM.StageAttributes, SGM.StageSegmentation, SGM.StageHypotheses, SGM.StageRefined]
DEFECTS = ["wrong-status", "out-of-range", "duplicate", "channel-status", "no-title", "open-hypothesis", "deprecated", "no-subject"]


class ProfileGenerator:
    """Builds profile triples from the catalogue: valid ones, and defective ones on request."""

    def __init__(self, cat: Catalogue, seed: int = 7) -> None:
        self.cat = cat
        self.rng = random.Random(seed)
        self.statuses = [str(ST.citizen), str(ST.business), str(ST.internal)]
        self.life = {s: [ls for ls in cat.members("life_situation") if s in cat.applies.get(ls, [])] for s in self.statuses}
        self.attrs = {s: [a.iri for a in cat.attributes_for(s) if self._simple(a.iri)] for s in self.statuses}
        channels = cat.members("channel")
        self.channels = {
            (s, p): [c for c in channels if s in cat.applies.get(c, []) and p in cat.purposes.get(c, set())]
            for s in self.statuses for p in (str(SGM.Informing), str(SGM.ServiceDelivery))
        }
        self.foreign = {s: [a for a in cat.attributes if s not in cat.attributes[a].statuses] for s in self.statuses}

    def _simple(self, attribute: str) -> bool:
        info = self.cat.attributes[attribute]
        if info.scheme:
            return any(not self.cat.values[v].deprecated for v in self.cat.scheme_values.get(info.scheme, []))
        return info.numeric or info.datatype == str(XSD.boolean)

    def value_triples(self, node: URIRef, attribute: str) -> list[tuple]:
        info = self.cat.attributes[attribute]
        if info.scheme:
            values = [v for v in self.cat.scheme_values[info.scheme] if not self.cat.values[v].deprecated]
            return [(node, SGM.value, URIRef(self.rng.choice(values)))]
        if info.numeric:
            low = int(info.minimum or 0)
            high = int(min(info.maximum or 100, low + 60))
            return [(node, SGM.literalValue, Literal(self.rng.randint(low, high)))]
        return [(node, SGM.literalValue, Literal(self.rng.random() < 0.5))]

    def profile(self, n: int, defect: str | None = None) -> tuple[URIRef, list[tuple]]:
        rng = self.rng
        pid = f"gen-{n:06d}"
        iri, seg = PROF[pid], URIRef(f"{PROF[pid]}/segment")
        allowed = {"channel-status": self.statuses[:2], "deprecated": [str(ST.business)]}.get(defect or "", self.statuses)
        status = rng.choice(allowed)
        forced = {"no-title": SGM.StageHypotheses, "channel-status": SGM.StageHypotheses, "open-hypothesis": SGM.StageRefined}
        stage = forced.get(defect) or rng.choice(STAGES)
        t = [(iri, RDF.type, SGM.SegmentProfile), (iri, DCTERMS.identifier, Literal(pid)), (iri, SGM.profileOf, seg),
             (seg, RDF.type, SGM.Segment), (seg, SGM.hasStatus, URIRef(status)), (iri, SGM.stage, stage)]
        if defect != "no-title":
            t.append((iri, DCTERMS.title, Literal(f"Сегмент {n}", lang="ru")))
        if defect != "no-subject":
            t.append((iri, SGM.lifeSituation, URIRef(rng.choice(self.life[status]))))
        main = self.cat.main_attributes[status]
        chosen = list(dict.fromkeys(main + (rng.sample(self.attrs[status], 1) if rng.random() < 0.3 else [])))
        for attribute in chosen:
            node = URIRef(f"{iri}/attribute/{self.cat.local_id(attribute)}")
            t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion), (node, SGM.attribute, URIRef(attribute))]
            t += self.value_triples(node, attribute)
        if defect == "wrong-status":
            node = URIRef(f"{iri}/attribute/foreign")
            attribute = rng.choice([a for a in self.foreign[status] if self._simple(a)])
            t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion), (node, SGM.attribute, URIRef(attribute))]
            t += self.value_triples(node, attribute)
        elif defect == "out-of-range":
            node = URIRef(f"{iri}/attribute/age-2")
            t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion),
                  (node, SGM.attribute, URIRef("https://w3id.org/segmentum/id/attribute/age")), (node, SGM.literalValue, Literal(150))]
        elif defect == "duplicate":
            node = URIRef(f"{iri}/attribute/dup")
            t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion), (node, SGM.attribute, URIRef(main[0]))]
            t += self.value_triples(node, main[0])
        elif defect == "deprecated":
            node = URIRef(f"{iri}/attribute/legal-form-old")
            t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion),
                  (node, SGM.attribute, URIRef("https://w3id.org/segmentum/id/attribute/legal-form")), (node, SGM.value, VAL["okopf-oao"])]
        if stage in (SGM.StageHypotheses, SGM.StageRefined):
            refined = stage == SGM.StageRefined
            feature = URIRef(f"{iri}/journey-feature/1")
            t += [(iri, SGM.hasJourneyFeature, feature), (feature, RDF.type, SGM.JourneyFeature),
                  (feature, SGM.statement, Literal("Особенность пути", lang="ru"))]
            state = SGM.Open if defect == "open-hypothesis" or not refined else SGM.Confirmed
            t.append((feature, SGM.state, state))
            if refined and defect != "open-hypothesis":
                t.append((feature, SGM.evidence, Literal("интервью", lang="ru")))
            for k, purpose in enumerate((SGM.Informing, SGM.ServiceDelivery), 1):
                node = URIRef(f"{iri}/channel/{k}")
                options = self.channels[(status, str(purpose))]
                channel = CH["erc-mo-website"] if defect == "channel-status" and status != str(ST.internal) else URIRef(rng.choice(options))
                t += [(iri, SGM.hasChannelPreference, node), (node, RDF.type, SGM.ChannelPreference), (node, SGM.channel, channel),
                      (node, SGM.purpose, purpose), (node, SGM.state, SGM.Confirmed if refined else SGM.Open)]
                if refined:
                    t.append((node, SGM.evidence, Literal("опрос", lang="ru")))
        return profile_graph(pid), t

    def profiles(self, count: int, defective_share: float = 0.1):
        """Yield (graph, triples) for ``count`` profiles, about ``defective_share`` of them defective."""
        for n in range(count):
            defect = self.rng.choice(DEFECTS) if self.rng.random() < defective_share else None
            yield self.profile(n, defect)


def write_nquads(path: Path, profiles) -> int:
    """Write the profiles as N-Quads; return the number of quads."""
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for graph, triples in profiles:
            g = graph.n3()
            for s, p, o in triples:
                fh.write(f"{s.n3()} {p.n3()} {o.n3()} {g} .\n")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the N-Quads file to write")
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from segmentum.session import open_session

    quads = write_nquads(args.out, ProfileGenerator(open_session().catalogue, args.seed).profiles(args.profiles))
    print(f"{args.profiles} profiles, {quads} quads: {args.out}")


if __name__ == "__main__":
    main()
