"""Inference: rules as data, forward chaining in the store, suggestions with their reasons and sources."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from segmentum.cli.main import main
from segmentum.inference.chaining import infer
from segmentum.inference.rule_cache import read_rules
from segmentum.inference.rules import InferenceError, RuleError
from segmentum.inference.suggest import suggestions
from segmentum.namespaces import GRAPH, PROF, SGM, inferred_graph, profile_graph, profile_id_of
from segmentum.resources import rule_files
from segmentum.session import open_session

from .conftest import DATA, EXAMPLES

RULES = DATA / "rules"
ID = "https://w3id.org/segmentum/id/"


@pytest.fixture(scope="module")
def session():
    s = open_session()
    yield s
    s.store.close()


@pytest.fixture(scope="module")
def ruleset(session):
    return read_rules(rule_files(), session.store, cache=False)


def suggested(session, ruleset, path):
    prof = session.load_profiles([path])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    return prof, suggestions(session.store, session.catalogue, ruleset, prof.iri, session.lang, explain=True)


def test_at_least_40_rules_cover_all_statuses_and_life_situations(ruleset, session):
    rule_ids = ruleset.ids()
    assert len(rule_ids) >= 40
    g = ruleset.graph
    statuses = {str(o) for o in g.objects(None, SGM.whenStatus)}
    assert statuses == {ID + "status/citizen", ID + "status/business", ID + "status/internal"}
    situations = {str(o) for o in g.objects(None, SGM.whenLifeSituation)}
    services = {str(o) for o in g.objects(None, SGM.whenService)}
    rows = session.store.select("SELECT ?ls ?svc WHERE { ?ls a <https://w3id.org/segmentum/ontology#LifeSituation> "
                                "OPTIONAL { ?ls <https://w3id.org/segmentum/ontology#hasService> ?svc } }")
    for ls in {str(r["ls"]) for r in rows}:
        covered = ls in situations or any(str(r.get("svc")) in services for r in rows if str(r["ls"]) == ls)
        assert covered, f"no rule for the life situation {ls}"


def test_every_justification_is_a_source_in_the_catalogue(ruleset, session):
    known = {str(r["s"]) for r in session.store.select(
        "SELECT ?s WHERE { ?s a ?t . ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/segmentum/ontology#Source> }")}
    for rule in ruleset.rules:
        assert rule.justification, rule.iri
        for source in rule.justification:
            assert str(source) in known, f"{rule.iri}: {source}"


@pytest.mark.parametrize(("path", "features", "informing", "service"), [
    ("student-stage2.yaml", ["Необходимо общежитие", "Пытается минимизировать личные посещения"], ["website"], ["epgu", "post"]),
    # not the methodology's «стаж в сфере туризма не менее 5 лет», which 132-ФЗ does not support: what ст. 4.1 ч. 3 requires
    ("tour-operator-stage2.yaml", ["Необходимо заключать договор страхования", "Руководитель туроператора, его заместитель и главный бухгалтер не "
                                   "должны иметь неснятой или непогашенной судимости за умышленное преступление, более трёх правонарушений в сфере "
                                   "туризма за год до подачи документов и дисквалификации"],
     ["website", "epgu"], ["agency-eservice", "epgu"]),
    ("soldier-stage2.yaml", ["Для получения 2-НДФЛ нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ"],
     ["website", "erc-mo-website"], ["erc-mo-website", "in-person"]),
])
def test_methodology_segments_at_stage_2_get_the_methodology_hypotheses(session, ruleset, path, features, informing, service):
    _, items = suggested(session, ruleset, RULES / path)
    texts = {s.text for s in items if s.kind == "journey-feature"}
    assert set(features) <= texts
    channels = {(s.purpose, s.target.rsplit("/", 1)[-1]) for s in items if s.kind == "channel"}
    assert {("Informing", c) for c in informing} <= channels
    assert {("ServiceDelivery", c) for c in service} <= channels


def test_suggestions_never_repeat_what_the_profile_has(session, ruleset):
    prof, items = suggested(session, ruleset, EXAMPLES / "student-neighbour-region.yaml")
    texts = {s.text for s in items}
    assert "Необходимо общежитие" not in texts
    assert not any(s.kind == "attribute" and s.target.endswith(("/sex", "/age", "/region-of-residence")) for s in items)
    assert not any(s.kind == "channel" and s.target.endswith("/epgu") and s.purpose == "ServiceDelivery" for s in items)


def test_main_template_attributes_come_first(session, ruleset):
    path = RULES / "soldier-stage2.yaml"
    text = path.read_text(encoding="utf-8").replace("  возраст: 22-25 лет\n", "")
    p = path.parent / "_tmp-soldier.yaml"
    try:
        p.write_text(text.replace("id: soldier-stage2", "id: soldier-no-age"), encoding="utf-8")
        _, items = suggested(session, ruleset, p)
    finally:
        p.unlink()
    assert items[0].kind == "attribute" and items[0].target.endswith("/age")


def test_explanations_name_the_profile_lines_and_the_sources(session, ruleset):
    _, items = suggested(session, ruleset, RULES / "soldier-stage2.yaml")
    jf = next(s for s in items if s.text.startswith("Для получения 2-НДФЛ"))
    reason = jf.reasons[0]
    assert any("Методика, III этап" in j for j in reason.justification)
    lines = {f.location.line for f in reason.facts if f.location}
    assert {3, 4, 8} <= lines  # status, service, and вид службы behind the derived category
    assert any("военнослужащий (выведено)" in f.text for f in reason.facts)


def test_an_explanation_names_the_profile_fact_a_path_starts_from(session, ruleset):
    """The source-based rule reaches the legal acts by ``$this sgm:lifeSituation/sgm:regulatedBy …``:
    its explanation names the life situation the profile gives, with its line."""
    _, items = suggested(session, ruleset, RULES / "student-stage2.yaml")
    dormitory = next(s for s in items if s.target.endswith("/dormitory-need"))
    from_sources = next(r for r in dormitory.reasons if r.rule.endswith("/attributes-from-sources"))
    assert [(f.text, f.location.line) for f in from_sources.facts if f.location] == [("жизненная ситуация: Поступление в вуз", 5)]


def test_derivations(session, ruleset):
    for path in (EXAMPLES / "student-neighbour-region.yaml", EXAMPLES / "young-soldier.yaml", EXAMPLES / "tour-operator-regular-tours.yaml"):
        prof = session.load_profiles([path])[0]
        infer(session.store, ruleset, profiles=[prof.iri])
    rows = session.store.select("""PREFIX sgm: <https://w3id.org/segmentum/ontology#>
        SELECT ?p ?v WHERE { ?p sgm:profileOf ?seg . ?seg sgm:derivedValue ?d . ?d sgm:value ?v }""")
    got = {(str(r["p"]).rsplit("/", 1)[-1], str(r["v"]).rsplit("/", 1)[-1]) for r in rows}
    assert {("student-neighbour-region", "age-citizen-18-25"), ("student-neighbour-region", "fd-cfd"),
            ("student-neighbour-region", "residence-neighbour-region"), ("young-soldier", "age-internal-18-25"),
            ("young-soldier", "internal-category-serviceman"), ("tour-operator-regular-tours", "subject-type-legal-entity")} <= got


def _graph_of(session, prof_id):
    return sorted(session.store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{profile_graph(prof_id)}> {{ ?s ?p ?o }} }}"), key=str)


def test_derived_statements_stay_in_their_own_graph(session, ruleset):
    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    before = _graph_of(session, prof.id)
    infer(session.store, ruleset, profiles=[prof.iri])
    assert _graph_of(session, prof.id) == before
    inferred = URIRef(f"{GRAPH}inferred/{prof.id}")
    assert inferred in session.store.graphs()
    # entailments of the ontology: a journey feature is a hypothesis
    assert session.store.ask(f"ASK {{ GRAPH <{inferred}> {{ <{prof.iri}/journey-feature/1> a <{SGM.Hypothesis}> }} }}")


def test_conclusions_carry_what_the_ontology_entails_from_them(session, ruleset):
    """A rule's conclusions get their super-classes and super-properties in the same query, typed-by-variable ones too."""
    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    graph = inferred_graph(prof.id)

    def count(pattern: str) -> int:
        return int(session.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}")[0]["n"])

    suggestions_ = count(f"<{prof.iri}> <{SGM.suggestion}> ?s")
    assert suggestions_ >= 3
    # every suggestion (attribute, journey feature, channel, pain; typed from a VALUES table or a constant) is a sgm:Suggestion
    assert count(f"<{prof.iri}> <{SGM.suggestion}> ?s . ?s a <{SGM.Suggestion}>") == suggestions_
    # a derived value provides a value for its attribute (sgm:attribute is a sub-property of cv:providesValueFor)
    assert count(f"?seg <{SGM.derivedValue}> ?v . ?v <{SGM.attribute}> ?a ; <http://data.europa.eu/m8g/providesValueFor> ?a") > 0
    # without entailments, the rules write only their own templates
    infer(session.store, ruleset, profiles=[prof.iri], entailments=False)
    assert count(f"?s a <{SGM.Suggestion}>") == 0 < count(f"<{prof.iri}> <{SGM.suggestion}> ?s")


def test_a_super_class_of_only_some_conclusion_types_is_bound_per_row(session, ruleset):
    """A type taken from the conclusion table gets the super-classes of that type only."""
    import dataclasses

    from segmentum.inference.rule_analysis import _entail

    prof = session.load_profiles([RULES / "soldier-stage2.yaml"])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    rule = next(r for r in ruleset.rules if SGM.ChannelSuggestion in r.types and len(r.types) > 1
                and session.store.ask(f"ASK {{ ?d <{SGM.byRule}> <{r.iri}> ; <{SGM.concluded}> ?s . ?s a <{SGM.ChannelSuggestion}> }}"))
    other = next(t for t in rule.types if t != SGM.ChannelSuggestion)
    marker = "https://w3id.org/segmentum/ontology#Marker"

    class Vocabulary:
        classes = {str(other): {str(SGM.Suggestion), marker}, str(SGM.ChannelSuggestion): {str(SGM.Suggestion)}}
        properties: dict = {}

    probe = dataclasses.replace(rule, entailed=[], entailed_binds="")
    _entail(probe, Vocabulary())
    assert "IN (" in probe.entailed_binds
    got = session.store.construct(str(probe.construct_query([prof.iri], first=True)))
    typed = {(s, o) for s, p, o in got if p == RDF.type}
    others = {s for s, o in typed if o == other}
    channels = {s for s, o in typed if o == SGM.ChannelSuggestion}
    assert others and channels
    assert {s for s, o in typed if str(o) == marker} == others
    assert {s for s, o in typed if o == SGM.Suggestion} == others | channels


def test_inference_is_idempotent(session, ruleset):
    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    first = infer(session.store, ruleset, profiles=[prof.iri])
    second = infer(session.store, ruleset, profiles=[prof.iri])
    assert first.derivations == second.derivations > 0


# ---------------------------------------------------------------- every rule fires, and not without its condition

def _suggestion_rules(ruleset):
    g = ruleset.graph
    return sorted({r.iri for r in ruleset.rules if (r.iri, RDF.type, SGM.SuggestionRule) in g}, key=str)


def _profile_for(g, rule, pid, drop=None):
    """Triples of a minimal profile meeting the rule's conditions (without the ``drop`` condition)."""
    p, seg = URIRef(str(PROF) + pid), URIRef(str(PROF) + pid + "/segment")
    t = [(p, RDF.type, SGM.SegmentProfile), (p, SGM.profileOf, seg), (seg, RDF.type, SGM.Segment)]
    for prop in (SGM.whenStatus, SGM.whenLifeSituation, SGM.whenService):
        if prop == drop:
            continue
        first = sorted(g.objects(rule, prop), key=str)[:1]
        target = {SGM.whenStatus: (seg, SGM.hasStatus), SGM.whenLifeSituation: (p, SGM.lifeSituation), SGM.whenService: (p, SGM.service)}[prop]
        t += [(*target, o) for o in first]
    for i, v in enumerate(sorted(g.objects(rule, SGM.whenValue), key=str)):
        if drop == SGM.whenValue:
            continue
        av = URIRef(f"{p}/attribute/v{i}")
        t += [(seg, SGM.hasAttributeValue, av), (av, SGM.value, v)]
    for prop in (SGM.whenAttribute, SGM.whenTrue):
        for i, a in enumerate(sorted(g.objects(rule, prop), key=str)):
            if drop == prop:
                continue
            av = URIRef(f"{p}/attribute/{prop.rsplit('#', 1)[-1]}{i}")
            t += [(seg, SGM.hasAttributeValue, av), (av, SGM.attribute, a), (av, SGM.literalValue, Literal(True))]
    return p, t


def _fired(session, prof, rule):
    return session.store.ask(f"ASK {{ GRAPH <{inferred_graph(profile_id_of(prof))}> {{ ?d <{SGM.byRule}> <{rule}> }} }}")


def test_every_suggestion_rule_fires_on_its_conditions_and_not_without_them(session, ruleset):
    g = ruleset.graph
    rules = _suggestion_rules(ruleset)
    assert len(rules) >= 35
    checked = 0
    for n, rule in enumerate(rules):
        prof, triples = _profile_for(g, rule, f"rule-case-{n}")
        session.store.replace_graph(profile_graph(f"rule-case-{n}"), triples)
        infer(session.store, ruleset, profiles=[prof])
        assert _fired(session, prof, rule), f"{rule} does not fire on its own conditions"
        # drop the most specific condition: values, attributes, then service, life situation, status
        for prop in (SGM.whenValue, SGM.whenTrue, SGM.whenAttribute, SGM.whenService, SGM.whenLifeSituation, SGM.whenStatus):
            if next(g.objects(rule, prop), None) is not None:
                break
        prof2, triples2 = _profile_for(g, rule, f"rule-miss-{n}", drop=prop)
        session.store.replace_graph(profile_graph(f"rule-miss-{n}"), triples2)
        infer(session.store, ruleset, profiles=[prof2])
        assert not _fired(session, prof2, rule), f"{rule} fires without {prop}"
        checked += 1
    assert checked == len(rules)


SPARQL_CASES = {
    # rule: (profile that makes it fire, profile that does not)
    "numeric-value-band": (EXAMPLES / "student-neighbour-region.yaml", EXAMPLES / "tour-operator-regular-tours.yaml"),
    "region-federal-district": (EXAMPLES / "student-neighbour-region.yaml", EXAMPLES / "young-soldier.yaml"),
    "residence-relative-to-service-region": (EXAMPLES / "student-neighbour-region.yaml", EXAMPLES / "large-family-car-purchase.yaml"),
    "legal-form-subject-type": (EXAMPLES / "tour-operator-regular-tours.yaml", EXAMPLES / "young-soldier.yaml"),
    "attributes-from-sources": (EXAMPLES / "young-soldier.yaml", RULES / "no-situation.yaml"),
    "main-template-attributes": (RULES / "soldier-no-age.yaml", EXAMPLES / "young-soldier.yaml"),
    "business-size-209fz": (RULES / "headcount-income.yaml", EXAMPLES / "small-business-procurement.yaml"),
}


def test_every_sparql_rule_has_a_case_that_fires_and_one_that_does_not(session, ruleset):
    sparql_rules = {str(r.iri).rsplit("/", 1)[-1] for r in ruleset.rules if (r.iri, RDF.type, SGM.SuggestionRule) not in ruleset.graph}
    assert sparql_rules == set(SPARQL_CASES)
    for name, (yes, no) in SPARQL_CASES.items():
        rule = ID + "rule/" + name
        for path, expected in ((yes, True), (no, False)):
            prof = session.load_profiles([path])[0]
            infer(session.store, ruleset, profiles=[prof.iri])
            assert _fired(session, prof.iri, rule) is expected, f"{name} on {path.name}"


def test_business_size_follows_the_larger_criterion(session, ruleset):
    prof = session.load_profiles([RULES / "headcount-income.yaml"])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    rows = session.store.select(f"SELECT ?v WHERE {{ <{prof.iri}/segment/derived/business-size> <{SGM.value}> ?v }}")
    # 12 employees (micro) but 500 million roubles of income (small): small
    assert [str(r["v"]).rsplit("/", 1)[-1] for r in rows] == ["business-size-small"]


@pytest.mark.parametrize("headcount, income, size", [
    ("более 250 человек", "до 800 млн руб.", "business-size-large"),  # above every maximum of headcount
    ("12", "свыше 3 млрд руб.", "business-size-large"),  # above every maximum of income (2 billion)
    ("от 100 человек", "до 800 млн руб.", None),  # at least 100: small or medium, not known
    ("12", "свыше 500 млн руб.", None),  # over 500 million: small, medium or large
    ("12", "свыше 2 млрд руб.", "business-size-large"),  # more than the largest maximum itself (2 billion)
    ("12", "от 2 млрд руб.", None),  # 2 billion is still medium: not known
    ("более 250 человек", "2 млрд руб.", "business-size-large"),  # 251 and more
    ("более 100 работников", "до 800 млн руб.", None),  # 101 and more: medium or large
    ("свыше 250", "до 800 млн руб.", "business-size-large"),
    ("до 15", "до 120 млн руб.", "business-size-micro"),  # «до» includes its number (209-ФЗ: up to 15 people)
    ("менее 16 человек", "100 млн руб.", "business-size-micro"),  # 15 at most
])
def test_business_size_from_an_open_range_only_when_it_decides(session, ruleset, tmp_path, headcount, income, size):
    path = tmp_path / "open-range.yaml"
    path.write_text((RULES / "headcount-income.yaml").read_text(encoding="utf-8")
                    .replace("работников: 12", f"работников: {headcount}").replace("год: 500000000", f"год: {income}"), encoding="utf-8")
    prof = session.load_profiles([path])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    rows = session.store.select(f"SELECT ?v WHERE {{ <{prof.iri}/segment/derived/business-size> <{SGM.value}> ?v }}")
    assert [str(r["v"]).rsplit("/", 1)[-1] for r in rows] == ([size] if size else [])


# ---------------------------------------------------------------- bad rules

def test_rule_syntax_error_names_file_and_line(session):
    with pytest.raises(RuleError) as info:
        read_rules([RULES / "bad-syntax.ttl"], session.store, cache=False)
    assert str(info.value).startswith(f"{RULES / 'bad-syntax.ttl'}:7:")


def test_unknown_term_names_file_line_and_the_closest_term(session):
    with pytest.raises(RuleError) as info:
        read_rules([RULES / "unknown-term.ttl"], session.store, cache=False)
    msg = str(info.value)
    assert msg.startswith(f"{RULES / 'unknown-term.ttl'}:11:")
    assert "ch:postt" in msg and "«ch:post»" in msg


def test_negating_what_the_same_stratum_derives_is_refused(session):
    with pytest.raises(RuleError) as info:
        read_rules([*rule_files(), RULES / "negation.ttl"], session.store, cache=False)
    assert "rule:no-derived-values" in str(info.value) and "sh:order" in str(info.value)


def test_a_rule_that_does_not_converge_stops_with_its_name(session):
    ruleset = read_rules([RULES / "runaway.ttl"], session.store, cache=False)
    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    with pytest.raises(InferenceError) as info:
        infer(session.store, ruleset, profiles=[prof.iri], max_rounds=5)
    assert "rule:runaway" in str(info.value)


def _stratum_of(ruleset, name):
    return next(i for i, stratum in enumerate(ruleset.strata()) if any(str(r.iri).endswith("/" + name) for r in stratum))


def test_rules_wait_only_for_the_rules_whose_conclusions_they_read(ruleset):
    from segmentum.inference.chaining import dependencies

    needs = dependencies(ruleset.strata())
    band, relative = _stratum_of(ruleset, "numeric-value-band"), _stratum_of(ruleset, "residence-relative-to-service-region")
    # reads the values written in the profile (through sgm:hasAttributeValue), not derived ones
    assert needs[band] == set()
    # «student from a neighbouring region» reads the derived «проживание относительно региона услуги»
    assert relative in needs[_stratum_of(ruleset, "student-away-dormitory")]
    # the internal-client category comes from a derived or written kind of service, so it waits for derivations
    assert needs[_stratum_of(ruleset, "service-kind-military")]
    # attribute suggestions from sources read no derived values: they start at once
    assert needs[_stratum_of(ruleset, "attributes-from-sources")] == set()


def test_parallel_and_sequential_runs_conclude_the_same(tmp_path):
    def conclusions(concurrent):
        s = open_session()
        try:
            s.store.concurrent = concurrent
            rules = read_rules(rule_files(), s.store, cache=False)
            s.load_profiles(sorted(EXAMPLES.glob("*.yaml")))
            run = infer(s.store, rules)
            rows = s.store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                  f'FILTER (STRSTARTS(STR(?g), "{GRAPH}inferred/")) }}')
            return run.derivations, {(str(r["g"]), str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}
        finally:
            s.store.close()

    sequential, parallel = conclusions(False), conclusions(True)
    assert sequential[0] > 100 and sequential == parallel


def test_bad_rule_file_exits_2_before_running(runner, tmp_path):
    result = runner.invoke(main, ["suggest", str(EXAMPLES / "young-soldier.yaml"), "--rules", str(RULES / "unknown-term.ttl")])
    assert result.exit_code == 2
    assert "unknown-term.ttl:11:" in result.stderr


# ---------------------------------------------------------------- commands

def test_suggest_command_text_and_json(runner):
    result = runner.invoke(main, ["suggest", str(RULES / "student-stage2.yaml"), "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "Необходимо общежитие" in result.stdout
    assert "student-stage2.yaml:11" in result.stdout  # регион проживания, behind the neighbouring region
    result = runner.invoke(main, ["--lang", "en", "suggest", str(RULES / "student-stage2.yaml"), "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["profile"] == "student-stage2"
    kinds = {s["kind"] for s in doc["suggestions"]}
    assert {"attribute", "journey-feature", "channel"} <= kinds
    assert any(s["text"] == "Needs a dormitory" for s in doc["suggestions"])


def test_infer_command_on_a_disk_store(runner, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, ["--store", str(store), "load", str(EXAMPLES)]).exit_code == 0
    result = runner.invoke(main, ["--store", str(store), "infer"])
    assert result.exit_code == 0, result.stderr
    assert "профилей: 8" in result.stderr
    result = runner.invoke(main, ["--store", str(store), "query",
                                  "SELECT (COUNT(*) AS ?n) WHERE { ?d <https://w3id.org/segmentum/ontology#byRule> ?r }", "-f", "csv"])
    assert int(result.stdout.split()[-1]) > 50
    assert "не сохранены" not in result.stderr


def test_infer_without_a_store_says_nothing_is_kept(runner):
    result = runner.invoke(main, ["infer", str(EXAMPLES / "young-soldier.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "выводы не сохранены: хранилище в памяти; чтобы сохранить, укажите --store ПАПКА" in result.stderr


# ---------------------------------------------------------------- profile complete

def _ids(runner, path):
    doc = json.loads(runner.invoke(main, ["suggest", str(path), "-f", "json"]).stdout)
    return {s["text"]: s["id"] for s in doc["suggestions"]}


def test_profile_complete_adds_accepted_suggestions_and_keeps_the_rest(runner, tmp_path, golden):
    path = tmp_path / "complete-me.yaml"
    path.write_text((RULES / "complete-me.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ids = _ids(runner, path)
    accept = [ids["Необходимо общежитие"], "channel/service/post", "attribute/dormitory-need", "channel/service/epgu"]
    result = runner.invoke(main, ["profile", "complete", str(path), *sum((["--accept", a] for a in accept), [])])
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    original = (RULES / "complete-me.yaml").read_text(encoding="utf-8")
    assert text.startswith(original.split("journey_features:")[0].rstrip("\n"))  # what was written stays; the attribute follows
    assert "  потребность в общежитии:\njourney_features:" in text and "значим для сегмента" not in text
    golden("rules/complete-me.yaml", text)
    # accepted suggestions are now in the profile, so they are not suggested again
    again = _ids(runner, path)
    assert "Необходимо общежитие" not in again and not any(v in ("channel/service/post", "attribute/dormitory-need") for v in again.values())


def test_profile_complete_refuses_an_unknown_id_and_leaves_the_file(runner, tmp_path):
    path = tmp_path / "complete-me.yaml"
    original = (RULES / "complete-me.yaml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    result = runner.invoke(main, ["profile", "complete", str(path), "--accept", "channel/service/pos"])
    assert result.exit_code == 2
    assert "«channel/service/post»" in result.stderr
    assert path.read_text(encoding="utf-8") == original


def test_profile_complete_with_english_keys_appends_english_keys(runner, tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text("id: en-profile\ntitle: Student\nstatus: citizen\nlife_situation: university-admission\nstage: II\n"
                    "attributes:\n  sex: male\n", encoding="utf-8")
    result = runner.invoke(main, ["--lang", "en", "profile", "complete", str(path), "--accept", "channel/informing/website"])
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith("channels:\n  informing:\n    - Agency's official website\n")


def test_profile_complete_keeps_the_bom_and_crlf_line_ends(runner, tmp_path):
    p = tmp_path / "bom-crlf.yaml"
    p.write_bytes((DATA / "profiles" / "bom-crlf.yaml").read_bytes())
    result = runner.invoke(main, ["profile", "complete", str(p), "--accept", "attribute/dormitory-need"])
    assert result.exit_code == 0, result.output
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") == 9  # eight lines as written, the attribute to fill added
    assert "потребность в общежитии".encode() in raw


def test_derived_attributes_are_not_suggested(session, ruleset):
    _, items = suggested(session, ruleset, EXAMPLES / "student-neighbour-region.yaml")
    assert not any(s.kind == "attribute" and s.target.endswith("/residence-relative-to-service-region") for s in items)


def test_rules_give_the_same_conclusions_as_pyshacl_shacl_af(tmp_path):
    """Parity: the compiled engine and pySHACL's SHACL-AF rule engine derive the same values and suggestions."""
    import pyshacl
    from rdflib import Graph

    from segmentum.inference.rules import shacl_af_graph

    s = open_session()
    try:
        ruleset = read_rules(rule_files(), s.store, cache=False)
        loaded = s.load_profiles([EXAMPLES / "student-neighbour-region.yaml", RULES / "soldier-stage2.yaml"])
        infer(s.store, ruleset, entailments=False)
        data = Graph()
        for g in ("ontology", "catalogue", *(f"profile/{p.id}" for p in loaded)):
            data += s.store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}{g}> {{ ?s ?p ?o }} }}")
        before = set(data)
        pyshacl.shacl_rules(data, shacl_graph=shacl_af_graph(ruleset), advanced=True, iterate_rules=True, inplace=True)

        def rule_output(triples):
            return {(str(a), str(b), str(c)) for a, b, c in triples if "/derivation/" not in str(a)
                    and ("/suggestion/" in str(a) or "/derived/" in str(a) or str(b).endswith(("#suggestion", "#derivedValue")))}

        theirs = rule_output(set(data) - before)
        ours = rule_output((r["s"], r["p"], r["o"]) for r in s.store.select(
            f'SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPH}inferred/")) }}'))
        assert len(ours) > 50
        assert ours == theirs
    finally:
        s.store.close()


def test_owl_entailments_of_the_catalogue_are_materialised(session, ruleset):
    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    infer(session.store, ruleset, profiles=[prof.iri])
    entailed = f"{GRAPH}entailed"
    ask = session.store.ask
    # subclass: a federal district is an attribute value; inverse: a service is grouped by its life situation
    assert ask(f"ASK {{ GRAPH <{entailed}> {{ <{ID}value/fd-cfd> a <{SGM.AttributeValue}> }} }}")
    assert ask(f"ASK {{ <{ID}service/university-admission-application> <http://data.europa.eu/m8g/isGroupedBy> <{ID}life-situation/university-admission> }}")
    # subproperty on profile data: an attribute assertion provides a value for its attribute (CCCEV)
    assert ask(f"ASK {{ GRAPH <{GRAPH}inferred/young-soldier> {{ <{prof.iri}/attribute/age> "
               f"<http://data.europa.eu/m8g/providesValueFor> <{ID}attribute/age> }} }}")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_suggest_text_golden(runner, monkeypatch, golden, lang):
    from .conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["--lang", lang, "suggest", "tests/data/rules/soldier-stage2.yaml", "--explain"])
    assert result.exit_code == 0, result.stderr
    golden(f"rules/suggest-soldier-{lang}.txt", result.stdout)


def test_profile_entailments_follow_the_closure_and_transitivity():
    """One pass gives super-classes and inverse/symmetric super-properties in combination; transitivity is repeated."""
    from segmentum.inference.entailment import entail_profiles
    from segmentum.namespaces import ONTOLOGY_GRAPH

    store = open_session().store  # its own: the probe changes the ontology graph
    ex = "https://example.org/onto#"
    a, b, c, d = (f"{PROF}probe/{x}" for x in "abcd")
    store.update(f"""INSERT DATA {{
        GRAPH <{ONTOLOGY_GRAPH}> {{
            <{ex}sub> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <{ex}super> .
            <{ex}super> <http://www.w3.org/2002/07/owl#inverseOf> <{ex}inverse> .
            <{ex}next> a <http://www.w3.org/2002/07/owl#TransitiveProperty> .
            <{ex}Small> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{ex}Middle> .
            <{ex}Middle> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{ex}Large> . }}
        GRAPH <{profile_graph("probe")}> {{
            <{a}> <{ex}sub> <{b}> ; a <{ex}Small> ; <{ex}next> <{b}> .
            <{b}> <{ex}next> <{c}> . <{c}> <{ex}next> <{d}> . }} }}""")
    # one pass; transitivity: a→c and b→d, then a→d, then nothing new
    assert entail_profiles(store, [URIRef(f"{PROF}probe")]) == 4
    got = {(str(r["s"]), str(r["p"]), str(r["o"])) for r in store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{inferred_graph('probe')}> {{ ?s ?p ?o }} }}")}
    assert {(a, f"{ex}super", b), (b, f"{ex}inverse", a), (a, str(RDF.type), f"{ex}Middle"),
            (a, str(RDF.type), f"{ex}Large"), (a, f"{ex}next", c), (a, f"{ex}next", d), (b, f"{ex}next", d)} <= got
    store.close()


def test_conclusions_written_from_rows_are_those_of_the_construct(monkeypatch):
    """The fast write path (a SELECT's TSV rows filled into the template) against the reference
    (the CONSTRUCT's N-Triples routed line by line): the same quads and derivation counts."""
    from segmentum.store.quads import Construct

    def conclusions():
        s = open_session()
        try:
            rules = read_rules(rule_files(), s.store, cache=False)
            s.load_profiles(sorted(EXAMPLES.glob("*.yaml")) + sorted(RULES.glob("*-stage2.yaml")))
            run = infer(s.store, rules)
            rows = s.store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                  f'FILTER (STRSTARTS(STR(?g), "{GRAPH}inferred/")) }}')
            return run.fired, {(str(r["g"]), r["s"], r["p"], r["o"]) for r in rows}
        finally:
            s.store.close()

    by_rows = conclusions()
    monkeypatch.setattr(Construct, "by_rows", property(lambda self: False))
    by_construct = conclusions()
    assert len(by_rows[1]) > 1000 and by_rows == by_construct


def test_rules_wait_for_the_entailments_only_of_what_the_profiles_use(session):
    """The entailment task writes only what follows from classes and properties in the asserted
    profile graphs: a rule reading ``sgm:hasService`` (the inverse of ``cv:isGroupedBy``) need not
    wait for it unless a profile says ``cv:isGroupedBy``."""
    from segmentum.inference.entailment import Vocabulary

    prof = session.load_profiles([EXAMPLES / "young-soldier.yaml"])[0]
    vocabulary = Vocabulary(session.store)
    has_service = (str(SGM.hasService), "")
    assert has_service in vocabulary.written()
    written = vocabulary.written(session.store)
    assert written < vocabulary.written() and has_service not in written
    assert (str(RDF.type), "http://www.w3.org/ns/prov#Entity") in written  # profiles are sgm:SegmentProfile
    session.store.add([(URIRef("urn:x:service"), URIRef("http://data.europa.eu/m8g/isGroupedBy"), URIRef("urn:x:situation"),
                        profile_graph(profile_id_of(prof.iri)))])
    assert has_service in vocabulary.written(session.store)


def test_a_strict_bound_of_a_decimal_is_kept_and_shown(session, tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text((RULES / "headcount-income.yaml").read_text(encoding="utf-8")
                    .replace("год: 500000000", "год: свыше 2 млрд руб."), encoding="utf-8")
    prof = session.load_profiles([path])[0]
    income = next(av for av in prof.attributes if av.attribute.endswith("/annual-income"))
    assert income.range == (Decimal(2_000_000_000), None) and income.excluded == (True, False)
    from segmentum.catalogue.view import Catalogue
    from segmentum.reports.terminal import _value_text
    assert _value_text(Catalogue(session.store), income, "ru") == "свыше 2\u00a0000\u00a0000\u00a0000 руб."
    assert _value_text(Catalogue(session.store), income, "en").startswith("over 2")


@pytest.mark.parametrize("written, held, ru, en", [
    ("более 300 человек", (301, None), "свыше 300 чел.", "over 300"),
    ("свыше 250", (251, None), "свыше 250 чел.", "over 250"),
    ("менее 16 человек", (0, 15), "менее 16 чел.", "under 16"),
    ("до 15", (0, 15), "не более 15 чел.", "up to 15"),
    ("от 16 до 100", (16, 100), "от 16 до 100 чел.", "16 to 100"),
])
def test_a_strict_bound_of_a_whole_number_is_shown_as_written(session, tmp_path, written, held, ru, en):
    """«более 300» of a headcount means 301 and more to the rules, and is shown with the 300 written."""
    from segmentum.catalogue.view import Catalogue
    from segmentum.reports.terminal import _value_text

    path = tmp_path / "strict.yaml"
    path.write_text((RULES / "headcount-income.yaml").read_text(encoding="utf-8")
                    .replace("работников: 12", f"работников: {written}"), encoding="utf-8")
    prof = session.load_profiles([path])[0]
    headcount = next(av for av in prof.attributes if av.attribute.endswith("/average-headcount"))
    assert headcount.range == tuple(None if b is None else Decimal(b) for b in held) and headcount.excluded == (False, False)
    catalogue = Catalogue(session.store)
    assert _value_text(catalogue, headcount, "ru") == ru
    assert _value_text(catalogue, headcount, "en").startswith(en)


FLOW = """id: flow
title: Абитуриент
status: гражданин
life_situation: поступление в вуз
stage: III
attributes:
  возраст: 18-25
journey_features: [Нужно общежитие]
channels:
  informing: [ЕПГУ, "МФЦ"]  # как договорились
  service: [ЕПГУ]
"""


def test_profile_complete_writes_a_one_line_list_again_as_a_block_list(runner, tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text(FLOW, encoding="utf-8")
    result = runner.invoke(main, ["profile", "complete", str(path), "--accept", "channel/informing/website"])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == FLOW.replace('  informing: [ЕПГУ, "МФЦ"]  # как договорились\n', (
        "  informing:  # как договорились\n    - ЕПГУ\n    - МФЦ\n    - Официальный сайт ведомства\n"))


def test_profile_complete_names_the_file_of_a_list_it_cannot_extend(runner, tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text(FLOW.replace('[ЕПГУ, "МФЦ"]', '[ЕПГУ,\n     "МФЦ"]'), encoding="utf-8")
    before = path.read_bytes()
    result = runner.invoke(main, ["profile", "complete", str(path), "--accept", "channel/informing/website"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:10:3: ошибка: «informing» — список в скобках [ … ]")
    assert path.read_bytes() == before


# ---------------------------------------------------------------- what a reviewer sees change

TOP = 10


def test_the_top_suggestions_of_each_life_situation_and_status(tmp_path, golden):
    """A bare profile (status and life situation only) for each pair the catalogue allows, and the first
    suggestions it gets: a change to a rule, a source or an attribute ↔ situation link shows in this file."""
    s = open_session()
    try:
        pairs = s.store.select(
            "SELECT ?ls ?st WHERE { ?ls a <https://w3id.org/segmentum/ontology#LifeSituation> ; "
            "<https://w3id.org/segmentum/ontology#appliesToStatus> ?st } ORDER BY ?ls ?st")
        cat = s.catalogue
        paths = []
        for n, row in enumerate(pairs):
            path = tmp_path / f"p{n:02d}.yaml"
            path.write_text(f"title: пара {n}\nstatus: {cat.label(row['st'])}\nlife_situation: {cat.label(row['ls'])}\nstage: I\n",
                            encoding="utf-8")
            paths.append((path, row))
        ruleset = read_rules(rule_files(), s.store, cache=False)
        loaded = s.load_profiles([p for p, _ in paths])
        infer(s.store, ruleset, profiles=[p.iri for p in loaded])
        out = [f"# Первые {TOP} подсказок для профиля, где указаны только статус и жизненная ситуация\n"]
        for prof, (_, row) in zip(loaded, paths, strict=True):
            out.append(f"\n## {cat.label(row['ls'])} — {cat.label(row['st'])}\n\n")
            for sug in suggestions(s.store, cat, ruleset, prof.iri, s.lang)[:TOP]:
                out.append(f"- [{sug.score.normalize():f}] {sug.text} ({sug.id}; {', '.join(r.label for r in sug.reasons)})\n")
        assert len(pairs) >= 10
        golden("suggestions-top.md", "".join(out))
    finally:
        s.store.close()
