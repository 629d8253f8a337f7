"""Namespaces of segmentum: the fixed prefix map and the closed ``SGM`` ontology namespace.

``SGM`` lists every term of ``ontology/segmentum.ttl``; a misspelt term fails at once
(``SGM.valueSchem`` raises ``AttributeError``). ``tests/test_ontology.py`` checks that this
list and the ontology agree; regenerate it with ``python -m segmentum.namespaces``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/segmentum/"
ID = BASE + "id/"

#: The project's prefixes, in the order the canonical Turtle writer lists namespaces.
PREFIXES: dict[str, str] = {
    "sgm": BASE + "ontology#",
    "st": ID + "status/",
    "fk": ID + "function-kind/",
    "ls": ID + "life-situation/",
    "svc": ID + "service/",
    "ch": ID + "channel/",
    "attr": ID + "attribute/",
    "vs": ID + "scheme/",
    "val": ID + "value/",
    "form": ID + "form/",
    "src": ID + "source/",
    "act": ID + "act/",
    "auth": ID + "authority/",
    "claim": ID + "claim/",
    "prof": ID + "profile/",
    "graph": BASE + "graph/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

ST = Namespace(PREFIXES["st"])
FK = Namespace(PREFIXES["fk"])
LS = Namespace(PREFIXES["ls"])
SVC = Namespace(PREFIXES["svc"])
CH = Namespace(PREFIXES["ch"])
ATTR = Namespace(PREFIXES["attr"])
VS = Namespace(PREFIXES["vs"])
VAL = Namespace(PREFIXES["val"])
FORM = Namespace(PREFIXES["form"])
SRC = Namespace(PREFIXES["src"])
ACT = Namespace(PREFIXES["act"])
PROF = Namespace(PREFIXES["prof"])
GRAPH = Namespace(PREFIXES["graph"])
CV = Namespace(PREFIXES["cv"])
ELI = Namespace(PREFIXES["eli"])

ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
CATALOGUE_GRAPH = URIRef(GRAPH + "catalogue")
PROVENANCE_GRAPH = URIRef(GRAPH + "provenance")


def profile_graph(profile_id: str) -> URIRef:
    """The named graph that holds one profile."""
    return URIRef(f"{GRAPH}profile/{profile_id}")


def provenance_graph(profile_id: str) -> URIRef:
    """The named graph that holds where each statement of one profile was written."""
    return URIRef(f"{GRAPH}provenance/{profile_id}")


#: the prefix of the graphs that hold what the rules derive for each profile
INFERRED = f"{GRAPH}inferred/"


def inferred_graph(profile_id: str) -> URIRef:
    """The named graph that holds what the rules derived for one profile (never what the user wrote)."""
    return URIRef(f"{INFERRED}{profile_id}")


def profile_id_of(node) -> str | None:
    """The id of the profile a node belongs to (profile nodes are ``prof:{id}`` and below)."""
    text = str(node)
    if not text.startswith(str(PROF)):
        return None
    return text[len(str(PROF)):].split("/", 1)[0]


# BEGIN GENERATED: SGM terms
class SGM(DefinedNamespace):
    _NS = Namespace(PREFIXES["sgm"])
    _fail = True

    ApplicationForm: URIRef
    Attribute: URIRef
    AttributeAssertion: URIRef
    AttributeSuggestion: URIRef
    AttributeValue: URIRef
    BlindZone: URIRef
    Capacity: URIRef
    Channel: URIRef
    ChannelPreference: URIRef
    ChannelPurpose: URIRef
    ChannelSuggestion: URIRef
    ClientStatus: URIRef
    Confirmed: URIRef
    CriterionAssessment: URIRef
    CustomerPosition: URIRef
    Derivation: URIRef
    DerivedValue: URIRef
    ExpertTableEntry: URIRef
    FederalDistrict: URIRef
    FormField: URIRef
    FunctionKind: URIRef
    Hypothesis: URIRef
    HypothesisState: URIRef
    Informing: URIRef
    JourneyFeature: URIRef
    JourneyFeatureSuggestion: URIRef
    LegalAct: URIRef
    LegalProvision: URIRef
    LifeSituation: URIRef
    MethodologyProvision: URIRef
    Open: URIRef
    Pain: URIRef
    PainSuggestion: URIRef
    PrioritisationCriterion: URIRef
    ProfilingStage: URIRef
    RatingHigh: URIRef
    RatingLevel: URIRef
    RatingLow: URIRef
    RatingMedium: URIRef
    ReadingNote: URIRef
    Refuted: URIRef
    Region: URIRef
    Satisfaction: URIRef
    Segment: URIRef
    SegmentProfile: URIRef
    Service: URIRef
    ServiceDelivery: URIRef
    Source: URIRef
    SourceLocation: URIRef
    StageAttributes: URIRef
    StageHypotheses: URIRef
    StageRefined: URIRef
    StageSegmentation: URIRef
    Suggestion: URIRef
    SuggestionRule: URIRef
    UniquenessOfProblems: URIRef
    UnsupportedClaim: URIRef
    ValueBand: URIRef
    ValueScheme: URIRef
    actKind: URIRef
    administrativeCentre: URIRef
    appliesToServiceKind: URIRef
    appliesToStatus: URIRef
    approvedBy: URIRef
    article: URIRef
    assessedValue: URIRef
    assessmentSource: URIRef
    attribute: URIRef
    attributeToFill: URIRef
    bandScheme: URIRef
    borders: URIRef
    byRule: URIRef
    channel: URIRef
    channelPurpose: URIRef
    checkedAgainst: URIRef
    checkedOn: URIRef
    citesProfileSources: URIRef
    claimPattern: URIRef
    claimScope: URIRef
    claimWord: URIRef
    claimedIn: URIRef
    concluded: URIRef
    correction: URIRef
    criterion: URIRef
    criterionGroup: URIRef
    datatype: URIRef
    defaultWeight: URIRef
    derivableFrom: URIRef
    derivedValue: URIRef
    derivesValue: URIRef
    evidence: URIRef
    federalDistrict: URIRef
    fieldLabel: URIRef
    fieldRef: URIRef
    form: URIRef
    functionKind: URIRef
    hasAssessment: URIRef
    hasAttributeValue: URIRef
    hasChannelPreference: URIRef
    hasHypothesis: URIRef
    hasJourneyFeature: URIRef
    hasPain: URIRef
    hasService: URIRef
    hasSource: URIRef
    hasStatus: URIRef
    inForce: URIRef
    isCommercial: URIRef
    iso3166: URIRef
    justification: URIRef
    legalAct: URIRef
    lifeSituation: URIRef
    literalValue: URIRef
    locatedNode: URIRef
    locatedProperty: URIRef
    mainAttributes: URIRef
    maxEmployees: URIRef
    maxInclusive: URIRef
    maxIncome: URIRef
    minEmployees: URIRef
    minInclusive: URIRef
    multiValued: URIRef
    needsReview: URIRef
    notForLifeSituation: URIRef
    notWithValue: URIRef
    noteText: URIRef
    okato: URIRef
    oktmo: URIRef
    onlyForLifeSituation: URIRef
    onlyIfTrue: URIRef
    profileOf: URIRef
    purpose: URIRef
    rangeMax: URIRef
    rangeMaxExcluded: URIRef
    rangeMin: URIRef
    rangeMinExcluded: URIRef
    ratingScore: URIRef
    readingNote: URIRef
    refutedBy: URIRef
    regulatedBy: URIRef
    relativeCost: URIRef
    reportedAt: URIRef
    requiresForm: URIRef
    round: URIRef
    service: URIRef
    serviceRegion: URIRef
    settlement: URIRef
    sourceColumn: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    stage: URIRef
    stageNumber: URIRef
    state: URIRef
    statement: URIRef
    suggestedAttribute: URIRef
    suggestedChannel: URIRef
    suggestion: URIRef
    suggestsAttribute: URIRef
    suggestsInformingChannel: URIRef
    suggestsJourneyFeature: URIRef
    suggestsPain: URIRef
    suggestsServiceChannel: URIRef
    unit: URIRef
    unlessFalse: URIRef
    unlessOtherValueThan: URIRef
    unlessValue: URIRef
    usedIn: URIRef
    value: URIRef
    valueScheme: URIRef
    weight: URIRef
    whenAttribute: URIRef
    whenLifeSituation: URIRef
    whenService: URIRef
    whenStatus: URIRef
    whenTrue: URIRef
    whenValue: URIRef
    writtenAs: URIRef
# END GENERATED


def _generated_block(terms: list[str]) -> str:
    lines = ["class SGM(DefinedNamespace):", '    _NS = Namespace(PREFIXES["sgm"])', "    _fail = True", ""]
    lines += [f"    {t}: URIRef" for t in terms]
    return "\n".join(lines) + "\n"


def ontology_terms() -> list[str]:
    """The local names of all ``sgm:`` terms defined in the shipped ontology, sorted."""
    from rdflib import Graph

    from segmentum.resources import ontology_files

    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    ns = PREFIXES["sgm"]
    return sorted({str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns) and str(s) != ns})


def regenerate(path: str) -> bool:
    """Rewrite the generated ``SGM`` block of this module; return True if it changed."""
    import re

    text = open(path, encoding="utf-8").read()
    block = _generated_block(ontology_terms())
    new = re.sub(
        r"(# BEGIN GENERATED: SGM terms\n).*?(# END GENERATED)",
        lambda m: m.group(1) + block + m.group(2),
        text,
        flags=re.S,
    )
    if new != text:
        open(path, "w", encoding="utf-8").write(new)
    return new != text


if __name__ == "__main__":  # pragma: no cover
    print("changed" if regenerate(__file__) else "unchanged")
