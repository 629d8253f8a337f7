"""segmentum workspace: the catalogue curation page, a thin view over ``catalogue.review``: a change proposed
with its author, reason and source, shown as a diff with the shapes' verdict, applied or rejected by a reviewer,
recorded as PROV history; the staging area and history are files of the workspace folder."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from segmentum import resources
from segmentum.catalogue.review import HISTORY, PROPOSALS, Proposal, Staging
from segmentum.i18n.messages import Lang, text
from segmentum.session import Session, open_session
from segmentum.tasks.catalogue import CURATION_DIR
from segmentum.workspace.app import WorkspaceConfig, create_app

from .conftest import EXAMPLES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "http://127.0.0.1:8080"
HX = {"HX-Request": "true"}
STUDENT = "student-neighbour-region.yaml"
VALUE = {"edit": "add_value", "attribute": "legal-form", "identifier": "okopf-99001", "label_ru": "Проверочная форма",
         "label_en": "Test form", "code": "99001", "act": "99-ФЗ", "article": "ст. 3", "author": "Иванова И. И.",
         "reason": "форма встречается в заявлениях"}


@pytest.fixture(scope="module")
def session() -> Session:
    return open_session(lang=Lang.RU)


def workspace(tmp: Path, session: Session) -> tuple[Path, Path, TestClient]:
    folder = tmp / "profiles"
    folder.mkdir()
    shutil.copy(EXAMPLES / STUDENT, folder / STUDENT)
    catalogue = tmp / "catalogue"
    shutil.copytree(resources.catalogue_dir(), catalogue, ignore=shutil.ignore_patterns(".segmentum*"))
    app = create_app(WorkspaceConfig(folder, catalogue=catalogue), session)
    return folder, catalogue, TestClient(app, base_url=BASE, follow_redirects=False)


def token_of(client: TestClient) -> str:
    page = client.get("/curation")
    assert page.status_code == 200, page.text
    return re.search(r'"X-CSRF-Token": "([0-9a-f]{64})"', page.text).group(1)


def test_the_curation_page_has_its_forms_labelled_an_empty_staging_area_and_history(tmp_path, session):
    _folder, catalogue, client = workspace(tmp_path, session)
    page = client.get("/curation")
    assert page.status_code == 200 and page.headers["x-frame-options"] == "DENY"
    assert text("ws.cur_none", Lang.RU) in page.text and text("ws.cur_no_history", Lang.RU) in page.text
    assert str(catalogue) in page.text
    assert not re.search(r"<script(?![^>]*\ssrc=)", page.text) and not re.search(r"\s(style|on\w+)=", page.text)
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', page.text)
    assert ids and set(ids) <= set(re.findall(r'<label for="([^"]+)"', page.text))
    assert 'href="/curation" aria-current="page"' in page.text
    assert text("ws.curation", Lang.EN) in client.get("/curation?lang=en").text


def test_a_proposal_needs_the_csrf_token_an_author_a_reason_and_a_known_edit(tmp_path, session):
    folder, _catalogue, client = workspace(tmp_path, session)
    assert client.post("/curation/propose", data=VALUE).status_code == 403
    token = token_of(client)
    assert client.post("/curation/propose", data=VALUE, headers=HX).status_code == 403  # the cookie without the token
    answer = client.post("/curation/propose", data={**VALUE, "author": " "}, headers={"X-CSRF-Token": token, **HX})
    assert answer.status_code == 400 and text("rev.need_author", Lang.RU) in answer.text
    assert answer.headers["HX-Retarget"] == "#curation-message"
    answer = client.post("/curation/propose", data={**VALUE, "edit": "remove_everything"}, headers={"X-CSRF-Token": token, **HX})
    assert answer.status_code == 400 and "remove_everything" in answer.text
    assert client.post("/curation/apply/x", data={"reviewer": "П"}).status_code == 403
    assert not (folder / CURATION_DIR / PROPOSALS).exists()


@pytest.mark.slow
def test_a_value_is_proposed_reviewed_as_a_diff_applied_by_a_reviewer_and_recorded(tmp_path):
    session = open_session(lang=Lang.RU)  # its catalogue is read again after the change: not the module's
    folder, catalogue, client = workspace(tmp_path, session)
    token = token_of(client)
    before = (catalogue / "okopf.ttl").read_text(encoding="utf-8")
    answer = client.post("/curation/propose", data=VALUE, headers={"X-CSRF-Token": token, **HX, "HX-Target": "review"})
    assert answer.status_code == 200, answer.text
    assert "+val:okopf-99001" in answer.text and text("ws.cur_conforms", Lang.RU) in answer.text
    assert VALUE["author"] in answer.text and VALUE["reason"] in answer.text
    assert (catalogue / "okopf.ttl").read_text(encoding="utf-8") == before  # proposed, not applied
    kept = json.loads((folder / CURATION_DIR / PROPOSALS).read_text(encoding="utf-8"))
    assert [(p["author"], p["reason"], p["source"]) for p in kept] == [(VALUE["author"], VALUE["reason"], {"act": "99-ФЗ", "article": "ст. 3"})]
    ident = kept[0]["id"]
    assert "Проверочная форма" not in client.get("/catalogue/legal-form").text

    answer = client.post(f"/curation/apply/{ident}", data={"reviewer": " "}, headers={"X-CSRF-Token": token, **HX})
    assert answer.status_code == 400 and text("rev.need_reviewer", Lang.RU) in answer.text
    answer = client.post(f"/curation/apply/{ident}", data={"reviewer": "Петров П. П."}, headers={"X-CSRF-Token": token, **HX})
    assert answer.status_code == 200, answer.text
    assert 'val:okopf-99001' in (catalogue / "okopf.ttl").read_text(encoding="utf-8")
    assert json.loads((folder / CURATION_DIR / PROPOSALS).read_text(encoding="utf-8")) == []
    assert text("ws.cur_outcome.applied", Lang.RU) in answer.text and "Петров П. П." in answer.text
    history = Graph().parse(folder / CURATION_DIR / HISTORY)
    (act,) = history.subjects(RDF.type, PROV.Activity)
    roles = {str(history.value(a, PROV.hadRole)) for a in history.objects(act, PROV.qualifiedAssociation)}
    assert roles == {"urn:segmentum:role:author", "urn:segmentum:role:reviewer"}
    assert history.value(act, PROV.endedAtTime) is not None and "+val:okopf-99001" in str(history.value(act, PROV.value))
    assert "Проверочная форма" in client.get("/catalogue/legal-form").text  # the workspace reads the changed catalogue
    again = client.post(f"/curation/apply/{ident}", data={"reviewer": "Петров"}, headers={"X-CSRF-Token": token, **HX})
    assert again.status_code == 404 or again.status_code == 400


@pytest.mark.slow
def test_a_rejected_proposal_is_recorded_and_one_the_catalogue_outgrew_is_checked_again(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(resources.catalogue_dir(), catalogue, ignore=shutil.ignore_patterns(".segmentum*"))
    area = Staging(tmp_path / "ws" / CURATION_DIR, catalogue)
    first = area.propose(Proposal("add_value", ["legal-form", "okopf-99002"], {"label_ru": "Форма А", "label_en": "Form A"},
                                  {"source": "art-fz-99-2014-1"}, "Иванова", "нужна"))
    twin = area.propose(Proposal("add_value", ["legal-form", "okopf-99002"], {"label_ru": "Форма Б", "label_en": "Form B"},
                                 {"source": "art-fz-99-2014-1"}, "Сидоров", "тоже нужна"))
    area.apply(first.id, "Петров")
    (left,) = area.proposals()  # the twin now names an identifier the catalogue has
    assert left.id == twin.id and left.problem and not left.conforms
    area.reject(twin.id, "Петров", "идентификатор занят")
    assert area.proposals() == []
    assert [(h["outcome"], h["author"], h["note"]) for h in area.history()] in (
        [("rejected", "Сидоров", "идентификатор занят"), ("applied", "Иванова", "")],
        [("applied", "Иванова", ""), ("rejected", "Сидоров", "идентификатор занят")])
