"""segmentum workspace: its pages and fragments through Starlette's TestClient, and its guards
(Host header, CSRF token, access token, files kept inside the folder).

The pages run over a copy of some example profiles in a temporary folder, with one session (the
shipped catalogue) shared by the module; a test that writes gets a folder of its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import ATTR
from segmentum.session import Session, open_session
from segmentum.tasks.profiles import new_profile
from segmentum.workspace.app import WorkspaceConfig, create_app, warm
from segmentum.workspace.folder import OutsideFolder, Workspace

from .conftest import EXAMPLES, free_port, stop, wait_for

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about httpx in its test client
    from starlette.testclient import TestClient

BASE = "http://127.0.0.1:8080"
STUDENT = "student-neighbour-region.yaml"
BUSINESS = "small-business-procurement.yaml"
HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def session() -> Session:
    return open_session(lang=Lang.RU)


def make_folder(root: Path, *names: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(EXAMPLES / name, root / name)
    return root


def client_for(folder: Path, session: Session, **config) -> TestClient:
    app = create_app(WorkspaceConfig(folder, **config), session)
    warm(app, Lang.RU)
    return TestClient(app, base_url=BASE, follow_redirects=False)


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory, session):
    folder = make_folder(tmp_path_factory.mktemp("ws") / "profiles", STUDENT, BUSINESS, "young-soldier.yaml")
    app = create_app(WorkspaceConfig(folder), session)
    for lang in Lang:
        warm(app, lang)
    return folder, app


@pytest.fixture()
def client(app_folder) -> TestClient:
    """A browser of its own (its own cookies) over the module's workspace."""
    return TestClient(app_folder[1], base_url=BASE, follow_redirects=False)


@pytest.fixture()
def own(tmp_path, session) -> tuple[Path, TestClient]:
    """A workspace over a folder of this test's own, with one profile, for tests that write."""
    folder = make_folder(tmp_path / "profiles", STUDENT)
    return folder, client_for(folder, session)


def csrf_of(client: TestClient) -> str:
    """Open a page (the session cookie is set) and read the CSRF token it carries for htmx."""
    page = client.get("/profiles")
    assert page.status_code == 200
    return re.search(r'"X-CSRF-Token": "([0-9a-f]{64})"', page.text).group(1)


def write(client: TestClient, url: str, data: dict, **headers) -> httpx.Response:
    return client.post(url, data=data, headers={"X-CSRF-Token": csrf_of(client), **HX, **headers})


# ---------------------------------------------------------------- guards

def test_a_host_header_that_is_not_the_bound_address_or_loopback_is_refused(app_folder):
    evil = TestClient(app_folder[1], base_url="http://rebind.example:8080")
    answer = evil.get("/catalogue")
    assert answer.status_code == 400
    assert text("ws.bad_host", Lang.RU, host="rebind.example") in answer.text
    assert "csrf" not in answer.text.lower()
    for host in ("localhost:8080", "127.0.0.1", "[::1]:8080"):
        assert TestClient(app_folder[1], base_url=BASE).get("/catalogue", headers={"Host": host}).status_code == 200, host


def test_every_page_has_security_headers_and_no_inline_script_or_style(client):
    for url in ("/catalogue", "/catalogue/legal-form", "/profiles", f"/profiles/edit/{STUDENT}"):
        page = client.get(url)
        assert page.status_code == 200, url
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\ssrc=)", page.text), url
        assert not re.search(r"\s(style|on\w+)=", page.text), url
        assert "//cdn" not in page.text and "https://" not in re.sub(r"<textarea.*?</textarea>", "", page.text, flags=re.S)


def test_htmx_is_shipped_in_the_package_with_its_version_and_licence(client):
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200 and script.text.startswith("var htmx=function()")
    assert 'version:"2.' in script.text
    static = Path(__file__).resolve().parents[1] / "src" / "segmentum" / "workspace" / "static"
    assert "Zero-Clause BSD" in (static / "htmx.LICENSE").read_text(encoding="utf-8")
    assert "2.0.11" in (static / "README.md").read_text(encoding="utf-8")


def test_a_write_without_the_csrf_token_of_its_session_is_refused(client):
    url = f"/profiles/check/{STUDENT}"
    source = (EXAMPLES / STUDENT).read_text(encoding="utf-8")
    assert client.post(url, data={"source": source}).status_code == 403  # no cookie, no token
    token = csrf_of(client)
    assert client.post(url, data={"source": source}, headers=HX).status_code == 403  # a cookie, no token
    assert client.post(url, data={"source": source}, headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    other = TestClient(client.app, base_url=BASE)
    assert other.post(url, data={"source": source}, headers={"X-CSRF-Token": token}).status_code == 403  # another browser's token
    assert client.post(url, data={"source": source}, headers={"X-CSRF-Token": token}).status_code == 200
    assert client.post(url, data={"source": source, "csrf_token": token}).status_code == 200  # the hidden field of a form


def test_a_write_from_another_site_is_refused_even_with_the_token(client):
    token = csrf_of(client)
    url = f"/profiles/check/{STUDENT}"
    for headers in ({"Origin": "http://attacker.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        answer = client.post(url, data={"source": "x"}, headers={"X-CSRF-Token": token, **headers})
        assert answer.status_code == 403, headers
        assert text("ws.bad_origin", Lang.RU) in answer.text
    assert client.post(url, data={"source": "x"}, headers={"X-CSRF-Token": token, "Origin": BASE}).status_code == 200


def test_with_an_access_token_nothing_is_shown_without_it(tmp_path, session):
    c = client_for(make_folder(tmp_path / "p", STUDENT), session, token="s3cret-Token")
    refused = c.get("/profiles")
    assert refused.status_code == 401 and text("ws.need_token", Lang.RU) in refused.text
    assert c.get("/static/htmx.min.js").status_code == 401
    assert c.get("/profiles?token=wrong").status_code == 401
    entered = c.get("/profiles?token=s3cret-Token&stage=StageRefined")
    assert entered.status_code == 303 and entered.headers["location"] == "/profiles?stage=StageRefined"  # the token leaves the address
    assert "httponly" in entered.headers["set-cookie"].lower() and "samesite=strict" in entered.headers["set-cookie"].lower()
    assert c.get("/profiles").status_code == 200  # the cookie carries it now
    assert TestClient(c.app, base_url=BASE).get("/profiles", headers={"Authorization": "Bearer s3cret-Token"}).status_code == 200


@pytest.mark.parametrize("name", [
    "../secret.yaml", "..%2Fsecret.yaml", "%2e%2e/secret.yaml", "sub/../../secret.yaml", "/etc/passwd.yaml", "%2Fetc%2Fpasswd.yaml",
    ".hidden.yaml", "link.yaml", "notes.txt", "..\\secret.yaml", "sub%00.yaml",
])
def test_files_outside_the_folder_are_refused(tmp_path, session, name):
    folder = make_folder(tmp_path / "profiles", STUDENT)
    (tmp_path / "secret.yaml").write_text("id: secret\nstatus: Гражданин\nstage: I\n", encoding="utf-8")
    (folder / ".hidden.yaml").write_text("id: hidden\n", encoding="utf-8")
    (folder / "notes.txt").write_text("notes\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    c = client_for(folder, session)
    token = csrf_of(c)
    for method, url in (("GET", f"/profiles/raw/{name}"), ("GET", f"/profiles/edit/{name}"), ("POST", f"/profiles/save/{name}"),
                        ("POST", f"/profiles/check/{name}")):
        answer = c.request(method, url, data={"source": "id: x\n", "etag": '"x"'} if method == "POST" else None,
                           headers={"X-CSRF-Token": token, **HX})
        assert answer.status_code in (403, 404), (method, url, answer.status_code)
        assert "secret" not in answer.text.replace(name, "").replace("secret.yaml", "")
    assert (tmp_path / "secret.yaml").read_text(encoding="utf-8").startswith("id: secret")
    assert sorted(p.name for p in folder.iterdir()) == sorted([STUDENT, ".hidden.yaml", "notes.txt", "link.yaml"])


def test_the_folder_lists_its_yaml_files_but_not_hidden_ones_or_links_that_leave_it(tmp_path, session):
    folder = make_folder(tmp_path / "profiles", STUDENT)
    (folder / "sub").mkdir()
    shutil.copy(EXAMPLES / BUSINESS, folder / "sub" / BUSINESS)
    (folder / ".git").mkdir()
    (folder / ".git" / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text("a: 1\n", encoding="utf-8")
    (folder / "out.yaml").symlink_to(tmp_path / "outside.yaml")
    ws = Workspace(folder, session)
    assert ws.names() == [STUDENT, f"sub/{BUSINESS}"]
    assert ws.path(f"sub/{BUSINESS}", Lang.RU) == folder.resolve() / "sub" / BUSINESS
    for bad in ("out.yaml", "../outside.yaml", "sub/../../outside.yaml", str(tmp_path / "outside.yaml"), ".git/x.yaml", "", "sub"):
        with pytest.raises(OutsideFolder):
            ws.path(bad, Lang.RU)


def test_english_by_the_address_then_by_the_cookie(client):
    english = client.get("/catalogue?lang=en")
    assert text("ws.catalogue", Lang.EN) in english.text and '<html lang="en">' in english.text
    assert "segmentum_ws_lang=en" in english.headers["set-cookie"]
    again = client.get("/profiles")
    assert text("ws.profiles", Lang.EN) in again.text and text("ws.state.warnings", Lang.EN) in again.text
    assert text("ws.catalogue", Lang.RU) in client.get("/catalogue?lang=ru").text


# ---------------------------------------------------------------- catalogue

def search(client: TestClient, q: str, status: str = "") -> str:
    answer = client.get("/catalogue", params={"q": q, "status": status}, headers={**HX, "HX-Target": "attributes"})
    assert answer.status_code == 200
    assert "<html" not in answer.text  # the part of the page htmx replaces
    return answer.text


def found_ids(fragment: str) -> list[str]:
    return re.findall(r'href="/catalogue/([\w-]+)"', fragment)


@pytest.mark.parametrize("typed, attribute", [
    ("организационно-правовая форма", "legal-form"),  # the label
    ("организационно-пр", "legal-form"),  # half typed
    ("форма правов", "legal-form"),  # words in another order, the last unfinished
    ("ОПФ", "legal-form"),  # a synonym
    ("legal form", "legal-form"),  # English
    ("возрастом", "age"),  # an inflected form
    ("регионе проживания", "region-of-residence"),
])
def test_search_as_you_type_by_label_synonym_english_and_inflected_form(client, typed, attribute):
    ids = found_ids(search(client, typed))
    assert attribute in ids[:3], ids


def test_the_exact_label_comes_first(client):
    assert found_ids(search(client, "пол"))[0] == "sex"


def test_the_catalogue_page_lists_attributes_by_status(client):
    page = client.get("/catalogue")
    assert page.status_code == 200
    assert 'hx-trigger="input changed delay:200ms from:#q' in page.text
    everything = set(found_ids(page.text))
    business = set(found_ids(search(client, "", "business")))
    citizen = set(found_ids(search(client, "", "citizen")))
    assert "legal-form" in business and "legal-form" not in citizen and "sex" in citizen
    assert business < everything and citizen < everything
    assert found_ids(search(client, "организационно-правовая", "citizen")) == []
    assert text("ws.nothing_found", Lang.RU, q="абракадабра") in search(client, "абракадабра")


def test_the_attribute_page_has_values_deprecated_ones_with_replacement_sources_and_profiles(client, shared):
    page = client.get("/catalogue/legal-form").text
    assert "<h1>организационно-правовая форма" in page
    assert "Непубличные акционерные общества" in page
    deprecated = re.search(r'<tr class="deprecated"><td>Закрытые акционерные общества.*?</tr>', page, re.S).group(0)
    assert text("ws.replaced_by", Lang.RU, values="Непубличные акционерные общества") in deprecated
    assert "ГК РФ (часть первая), статья 50" in page or "ст. 50" in page
    flagged, checked = page.count(text("needs_review", Lang.RU)), page.count(text("ws.checked", Lang.RU))
    assert flagged >= 1 and checked >= 1  # each source says whether it was checked against the act's text
    assert flagged + checked == len(shared.catalogue.attributes[str(ATTR["legal-form"])].sources)
    assert f'href="/profiles/edit/{BUSINESS}"' in page and f'href="/profiles/edit/{STUDENT}"' not in page


def test_an_unknown_attribute_is_not_found_with_did_you_mean(client):
    answer = client.get("/catalogue/legal-frm")
    assert answer.status_code == 404
    assert "legal-frm" in answer.text and "role=\"alert\"" in answer.text


# ---------------------------------------------------------------- profiles

def rows(page: str) -> dict[str, str]:
    """Profile file → its row of the table."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr class="state-\w+">\s*<td><a href="/profiles/edit/([^"]+)".*?</tr>', page, re.S)}


def test_the_profiles_page_shows_status_life_situation_stage_and_validation(client):
    table = rows(client.get("/profiles").text)
    assert sorted(table) == sorted([STUDENT, BUSINESS, "young-soldier.yaml"])
    student = table[STUDENT]
    assert 'class="state-warnings"' in student
    for words in ("Гражданин", "Поступление в вуз", text("ws.state.warnings", Lang.RU), text("ws.n_warnings", Lang.RU, n=1)):
        assert words in student, words
    assert "Представитель бизнеса" in table[BUSINESS]


def test_the_profiles_filters(client):
    def shown(**params) -> list[str]:
        answer = client.get("/profiles", params=params, headers={**HX, "HX-Target": "profiles"})
        assert answer.status_code == 200 and "<html" not in answer.text
        return sorted(rows(answer.text))

    assert shown(status="business") == [BUSINESS]
    assert shown(status="citizen") == [STUDENT]
    assert shown(status="internal") == ["young-soldier.yaml"]
    assert shown(state="warnings") == [STUDENT, "young-soldier.yaml"]
    assert shown(state="warnings", status="internal") == ["young-soldier.yaml"]
    assert shown(state="violations") == []
    stages = {name: re.search(r"<td>([^<]*)</td>\s*<td><span class=\"badge", row).group(1) for name, row in rows(client.get("/profiles").text).items()}
    stage_id = {"II": "StageSegmentation", "III": "StageHypotheses"}
    for name, label in stages.items():
        key = next((v for k, v in stage_id.items() if label.startswith(k + " ") or label == k), None)
        if key:
            assert name in shown(stage=key)


def test_a_file_that_does_not_read_is_listed_with_its_line_and_a_change_is_seen(own):
    folder, c = own
    (folder / "broken.yaml").write_text("status: Гражданин\nstage: I\nattributes:\n  пол: мужкой\n", encoding="utf-8")
    row = rows(c.get("/profiles").text)["broken.yaml"]
    assert 'class="state-error"' in row and text("ws.not_read", Lang.RU, line=4) in row and "«мужкой»" in row
    (folder / "broken.yaml").write_text("status: Гражданин\nstage: I\nattributes:\n  пол: мужской\n", encoding="utf-8")
    assert 'class="state-error"' not in rows(c.get("/profiles").text)["broken.yaml"]
    (folder / "broken.yaml").unlink()
    assert "broken.yaml" not in rows(c.get("/profiles").text)


def test_a_new_profile_is_what_profile_new_writes_and_never_replaces_a_file(own, session):
    folder, c = own
    made = write(c, "/profiles/new", {"status": "citizen", "life_situation": "university-admission", "file_name": "студент-2"})
    assert made.status_code == 201 and unquote(made.headers["HX-Redirect"]) == "/profiles/edit/студент-2.yaml"
    expected = new_profile(session, "citizen", ["university-admission"], [], None)
    assert (folder / "студент-2.yaml").read_text(encoding="utf-8") == expected
    assert "студент-2.yaml" in rows(c.get("/profiles").text)
    again = write(c, "/profiles/new", {"status": "business", "life_situation": "", "file_name": "студент-2.yaml"})
    assert again.status_code == 409 and text("ws.exists", Lang.RU, name="студент-2.yaml") in again.text
    assert (folder / "студент-2.yaml").read_text(encoding="utf-8") == expected
    for name in ("", ""):  # no name: after the status and the situation, never over an existing file
        assert write(c, "/profiles/new", {"status": "citizen", "life_situation": "university-admission", "file_name": name}).status_code == 201
    assert (folder / "citizen-university-admission.yaml").exists() and (folder / "citizen-university-admission-2.yaml").exists()
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.parametrize("name", ["../evil", "sub/evil", ".evil", "evil name", "a" * 200])
def test_a_new_profile_name_cannot_leave_the_folder(own, name):
    folder, c = own
    answer = write(c, "/profiles/new", {"status": "citizen", "life_situation": "", "file_name": name})
    assert answer.status_code == 403
    assert sorted(p.name for p in folder.parent.rglob("*") if p.is_file()) == [STUDENT]


def test_a_new_profile_with_an_unknown_status_says_what_was_meant(own):
    folder, c = own
    answer = write(c, "/profiles/new", {"status": "гражданен", "life_situation": "", "file_name": "x"})
    assert answer.status_code == 400 and "«Гражданин»" in answer.text
    assert not (folder / "x.yaml").exists()


# ---------------------------------------------------------------- editor

def test_the_editor_validates_the_text_as_typed_with_line_numbers(client):
    page = client.get(f"/profiles/edit/{STUDENT}")
    assert page.status_code == 200 and page.headers["etag"]
    assert 'hx-trigger="input changed delay:300ms from:#source"' in page.text
    source = (EXAMPLES / STUDENT).read_text(encoding="utf-8")
    check = f"/profiles/check/{STUDENT}"
    wrong = write(client, check, {"source": source.replace("пол: мужской", "пол: мужкой")}).text
    assert text("ws.line", Lang.RU, n=10) in wrong and "«мужкой»" in wrong and "«мужской»" in wrong and 'data-line="10"' in wrong
    missing = write(client, check, {"source": source.split("channels:")[0]}).text
    assert missing.count('class="violation"') == 2 and text("ws.sev.violation", Lang.RU) in missing
    fixed = write(client, check, {"source": source}).text
    assert 'class="violation"' not in fixed and "«мужкой»" not in fixed
    # the saved profile is what the profiles page shows, whatever was typed
    assert 'class="state-warnings"' in rows(client.get("/profiles").text)[STUDENT]


def test_saving_shows_the_diff_first_and_a_stale_version_gets_409_with_the_diff(own):
    folder, c = own
    page = c.get(f"/profiles/edit/{STUDENT}")
    etag = page.headers["etag"]
    original = (folder / STUDENT).read_text(encoding="utf-8")
    mine = original.replace("пол: мужской", "пол: женский").replace("\n", "\r\n")  # a browser sends CRLF
    diff = write(c, f"/profiles/diff/{STUDENT}", {"source": mine, "etag": etag}).text
    assert '<span class="del">-  пол: мужской</span>' in diff and '<span class="add">+  пол: женский</span>' in diff
    assert f'hx-post="/profiles/save/{STUDENT}"' in diff
    assert (folder / STUDENT).read_text(encoding="utf-8") == original  # the diff writes nothing

    saved = write(c, f"/profiles/save/{STUDENT}", {"source": mine}, **{"If-Match": etag})
    assert saved.status_code == 200 and saved.headers["etag"] != etag
    assert 'hx-swap-oob="true"' in saved.text and saved.headers["etag"].replace('"', "&#34;") in saved.text
    assert (folder / STUDENT).read_bytes() == original.replace("пол: мужской", "пол: женский").encode("utf-8")  # LF kept

    # a second tab still has the first version
    theirs = original.replace("возраст: 20 лет", "возраст: 21 год")
    conflict = write(c, f"/profiles/save/{STUDENT}", {"source": theirs, "etag": etag})
    assert conflict.status_code == 409
    assert text("ws.conflict", Lang.RU, name=STUDENT) in conflict.text
    assert '<span class="del">-  пол: женский</span>' in conflict.text and '<span class="add">+  возраст: 21 год</span>' in conflict.text
    assert conflict.headers["etag"] == saved.headers["etag"]
    assert "пол: женский" in (folder / STUDENT).read_text(encoding="utf-8") and "21 год" not in (folder / STUDENT).read_text(encoding="utf-8")
    stale = write(c, f"/profiles/diff/{STUDENT}", {"source": theirs, "etag": etag}).text
    assert text("ws.changed_on_disk", Lang.RU, name=STUDENT) in stale

    assert write(c, f"/profiles/save/{STUDENT}", {"source": theirs}).status_code == 428  # no version at all
    assert c.get(f"/profiles/raw/{STUDENT}").headers["etag"] == saved.headers["etag"]
    assert 'class="state-' in rows(c.get("/profiles").text)[STUDENT]
    assert not list(folder.glob(".*.tmp"))


def test_the_editor_of_a_missing_file_is_not_found(client):
    assert client.get("/profiles/edit/nothing-here.yaml").status_code == 404


# ---------------------------------------------------------------- the command

@pytest.mark.slow  # a process of its own reads the catalogue and checks the folder before it answers
def test_the_command_serves_the_folder_on_loopback_and_prints_the_address(tmp_path):
    folder = make_folder(tmp_path / "profiles", STUDENT)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "segmentum.cli.main", "workspace", str(folder), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/profiles", process)
        page = httpx.get(f"{base}/profiles")
        assert STUDENT in page.text and page.headers["content-security-policy"]
        assert httpx.get(f"{base}/profiles", headers={"Host": f"evil.example:{port}"}).status_code == 400
    finally:
        stop(process)
    assert text("ws.listening", Lang.RU, url=f"http://127.0.0.1:{port}/") in process.stdout.read()


# ---------------------------------------------------------------- suggestions

def test_the_suggestions_panel_lists_what_suggest_gives_with_explanations_and_sources(client, session):
    page = client.get(f"/profiles/edit/{STUDENT}").text
    assert f'hx-get="/profiles/suggestions/{STUDENT}"' in page and "profile-saved from:body" in page
    panel = client.get(f"/profiles/suggestions/{STUDENT}", headers=HX)
    assert panel.status_code == 200 and "<html" not in panel.text
    from segmentum.tasks.inference import profile_suggestions

    expected = profile_suggestions(session, EXAMPLES / STUDENT, [], explain=False)
    kinds = ["attribute", "journey-feature", "channel", "pain"]
    assert re.findall(r'data-id="([^"]+)"', panel.text) == [s.id for s in sorted(expected, key=lambda s: kinds.index(s.kind))]
    dormitory = re.search(r'<li id="[^"]*" data-id="attribute/dormitory-need">.*?</button>', panel.text, re.S).group(0)
    assert "273-ФЗ" in dormitory and "ст. 39" in dormitory  # the source
    assert text("suggest.because", Lang.RU) in dormitory and text("ws.line", Lang.RU, n=12) in dormitory  # the explanation, with its line
    assert '"suggestion": "attribute/dormitory-need"' in dormitory and f'hx-post="/profiles/accept/{STUDENT}"' in dormitory


def test_accepting_a_suggestion_shows_the_diff_and_writes_only_on_save_with_if_match(own, session, tmp_path):
    folder, c = own
    page = c.get(f"/profiles/edit/{STUDENT}")
    etag, original = page.headers["etag"], (folder / STUDENT).read_text(encoding="utf-8")
    # what «segmentum profile complete --accept attribute/dormitory-need» writes
    from segmentum.tasks.inference import complete_profile

    shutil.copy(EXAMPLES / STUDENT, tmp_path / STUDENT)
    complete_profile(session, tmp_path / STUDENT, ["attribute/dormitory-need"], [], None)
    expected = (tmp_path / STUDENT).read_text(encoding="utf-8")

    assert c.post(f"/profiles/accept/{STUDENT}", data={"source": original, "etag": etag, "suggestion": "attribute/dormitory-need"},
                  headers=HX).status_code == 403  # no CSRF token
    shown = write(c, f"/profiles/accept/{STUDENT}", {"source": original.replace("\n", "\r\n"), "etag": etag, "suggestion": "attribute/dormitory-need"})
    assert shown.status_code == 200
    assert '<span class="add">+  потребность в общежитии:</span>' in shown.text
    assert (folder / STUDENT).read_text(encoding="utf-8") == original  # nothing written yet
    new = re.search(r'<textarea name="source" hidden aria-hidden="true">(.*?)</textarea>', shown.text, re.S).group(1)
    assert new.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&") == expected
    assert f'name="etag" value="{etag.replace(chr(34), "&#34;")}"' in shown.text

    saved = write(c, f"/profiles/save/{STUDENT}", {"source": expected, "etag": etag, "replace_text": "1"})
    assert saved.status_code == 200 and saved.headers["hx-trigger"] == "profile-saved"
    assert 'id="saved-source"' in saved.text
    assert (folder / STUDENT).read_text(encoding="utf-8") == expected
    again = write(c, f"/profiles/suggestions/{STUDENT}".replace("suggestions", "accept"),
                  {"source": expected, "etag": etag, "suggestion": "attribute/dormitory-need"})
    assert again.status_code == 400 and "attribute/dormitory-need" in again.text  # accepted: no longer suggested
    stale = write(c, f"/profiles/save/{STUDENT}", {"source": expected + "# x\n", "etag": etag, "replace_text": "1"})
    assert stale.status_code == 409  # the first version's tag: the conflict rule holds
    assert (folder / STUDENT).read_text(encoding="utf-8") == expected


def test_accepting_an_unknown_suggestion_or_outside_the_folder_is_refused(own):
    folder, c = own
    source = (folder / STUDENT).read_text(encoding="utf-8")
    unknown = write(c, f"/profiles/accept/{STUDENT}", {"source": source, "etag": "x", "suggestion": "attribute/dormitory-ned"})
    assert unknown.status_code == 400 and "«attribute/dormitory-need»" in unknown.text
    assert write(c, "/profiles/accept/../x.yaml", {"source": source, "etag": "x", "suggestion": "all"}).status_code in (403, 404)
    assert c.get("/profiles/suggestions/..%2Fx.yaml").status_code in (403, 404)


# ---------------------------------------------------------------- reports

def test_a_profile_report_downloads_as_docx_and_html(client, session):
    docx = client.get(f"/reports/profile/{STUDENT}?format=docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'attachment; filename="student-neighbour-region.docx"' in docx.headers["content-disposition"]
    import io

    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Студент, проживающий в соседнем регионе" in body
    html = client.get(f"/reports/profile/{STUDENT}?format=html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html") and "Студент, проживающий в соседнем регионе" in html.text
    assert client.get("/reports/profile/..%2Fsecret.yaml").status_code in (403, 404)
    assert client.get("/reports/profile/nothing.yaml").status_code == 404


def test_the_folder_report_is_the_segmentation_report_of_its_profiles(client):
    html = client.get("/reports/folder?format=html")
    assert html.status_code == 200 and "filename*=UTF-8''%D1%81%D0%B5%D0%B3" in html.headers["content-disposition"]
    for title in ("Студент, проживающий в соседнем регионе", "Молодой военнослужащий", "Малое предприятие"):
        assert title in html.text, title
    assert 'href="/reports/folder?format=docx"' in client.get("/profiles").text


# ---------------------------------------------------------------- segments

def segment_order(fragment: str) -> list[str]:
    return re.findall(r'<tr id="segment-([\w-]+)"', fragment)


def test_the_segments_page_ranks_stage_ii_profiles_and_the_sliders_rank_again(tmp_path, session):
    folder = make_folder(tmp_path / "profiles", STUDENT, "large-family-car-purchase.yaml", "disability-repeat-examination.yaml",
                         "employer-foreign-workers.yaml")
    c = client_for(folder, session)
    page = c.get("/segments")
    assert page.status_code == 200
    assert '<input type="range" id="w-Capacity" name="w.Capacity"' in page.text and '<label for="w-Capacity">' in page.text
    assert 'hx-get="/segments"' in page.text and 'hx-target="#segments"' in page.text
    assert segment_order(page.text) == ["disability-repeat-examination", "large-family-car-purchase", "student-neighbour-region"]  # not stage I
    # capacity only: the larger capacity first; satisfaction only: the one with a survey score first
    by_capacity = c.get("/segments", params={"w.Capacity": "5", "w.Satisfaction": "0", "w.UniquenessOfProblems": "0", "w.BlindZone": "0",
                                             "w.CustomerPosition": "0"}, headers={**HX, "HX-Target": "segments"})
    assert "<html" not in by_capacity.text
    assert segment_order(by_capacity.text)[:2] == ["disability-repeat-examination", "large-family-car-purchase"]
    by_position = c.get("/segments", params={"w.Capacity": "0", "w.Satisfaction": "0", "w.CustomerPosition": "5"},
                        headers={**HX, "HX-Target": "segments"})
    assert segment_order(by_position.text)[0] == "large-family-car-purchase"
    assert "позиция заказчика 5" in by_position.text


def test_capacity_is_shown_with_its_source_or_why_it_cannot_be_estimated(tmp_path, session):
    folder = make_folder(tmp_path / "profiles", STUDENT, "young-soldier.yaml", "disability-repeat-examination.yaml")
    page = client_for(folder, session).get("/segments").text
    assert text("ws.source_is", Lang.RU, source="внутренняя статистика бюро МСЭ (оценка)") in page  # written, with its source
    student = re.search(r'<li><strong>Студент, проживающий в соседнем регионе</strong>:.*?</li>', page, re.S).group(0)
    assert "≈" in student and "Росстат" in student  # estimated from open statistics, with the table
    soldier = re.search(r'<li><strong>Молодой военнослужащий</strong>:.*?</li>', page, re.S).group(0)
    assert text("prio.no_estimate", Lang.RU) in soldier and len(soldier) > 120  # «не оценить» and why


# ---------------------------------------------------------------- SPARQL

def run(client: TestClient, **data) -> httpx.Response:
    return write(client, "/sparql/run", data)


def test_the_sparql_page_lists_the_named_queries_with_their_parameters_as_fields(client):
    from segmentum.query.library import library

    page = client.get("/sparql").text
    for q in library().values():
        assert f'<input type="hidden" name="name" value="{q.name}">' in page
        for p in q.params:
            assert f'<label for="p-{q.name}-{p.name}">' in page and f'name="p.{p.name}"' in page
    assert '<label for="query">' in page


def test_a_named_query_runs_with_its_parameters_and_labels(client):
    answer = run(client, name="profiles-by-region", **{"p.region": "Москва"}, form_id="form-profiles-by-region")
    assert answer.status_code == 200
    assert "Студент, проживающий в соседнем регионе" in answer.text and ">Москва<" in answer.text
    assert "statusLabel" not in answer.text  # the label column is folded into its variable's
    unknown = run(client, name="profiles-by-region", **{"p.region": "Москвв"})
    assert unknown.status_code == 400 and "«Москва»" in unknown.text


def test_the_free_query_is_paged_by_100_rows_with_labels(client):
    query = "SELECT ?a WHERE { ?a a sgm:Attribute } ORDER BY ?a"
    first = run(client, query=query, form_id="form-free")
    assert first.status_code == 200
    total = int(re.search(r"строки 1–100 из (\d+)", first.text).group(1))
    assert total > 100 and first.text.count("<tr>") == 101  # the header and 100 rows
    assert 'title="https://w3id.org/segmentum/id/attribute/' in first.text and ">возраст<" in first.text  # the label, not the IRI
    assert 'hx-include="#form-free"' in first.text and '"page": "2"' in first.text
    second = run(client, query=query, form_id="form-free", page="2")
    assert f"строки 101–{min(200, total)} из {total}" in second.text
    assert run(client, query="ASK { ?s a sgm:Attribute }").text.count(text("ws.ask_true", Lang.RU)) == 1


@pytest.mark.parametrize("query, status, key", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 400, None),
    ("SELECT * WHERE { ?s ?p }", 400, None),
])
def test_the_free_query_goes_through_the_endpoints_checks(client, query, status, key):
    answer = run(client, query=query)
    assert answer.status_code == status and 'role="alert"' in answer.text
    if key:
        assert key in answer.text
    assert client.post("/sparql/run", data={"query": "SELECT * WHERE { ?s ?p ?o }"}).status_code == 403  # no CSRF token


def test_the_new_pages_have_security_headers_no_inline_script_and_labelled_fields(client):
    for url in ("/segments", "/sparql", f"/profiles/edit/{STUDENT}"):
        page = client.get(url)
        assert page.status_code == 200 and page.headers["x-frame-options"] == "DENY", url
        assert not re.search(r"<script(?![^>]*\ssrc=)", page.text), url
        assert not re.search(r"\s(style|on\w+)=", page.text), url
        ids = set(re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")(?![^>]*\shidden)[^>]*\sid="([^"]+)"', page.text))
        assert ids <= set(re.findall(r'<label for="([^"]+)"', page.text)), (url, ids)
    english = client.get("/segments?lang=en").text
    assert text("ws.segments", Lang.EN) in english and text("ws.weights", Lang.EN) in english
    client.get("/segments?lang=ru")


# ---------------------------------------------------------------- the editor by fields
def _rewritten(answer: httpx.Response) -> str:
    return unescape(re.search(r'<textarea id="field-source"[^>]*>(.*?)</textarea>', answer.text, re.S).group(1))


def test_the_editor_shows_the_profile_by_fields_with_a_label_for_each(client):
    page = client.get(f"/profiles/edit/{STUDENT}")
    assert page.status_code == 200
    for fid in ("f-status", "f-life_situation", "f-service", "f-stage", "f-attr-0-value", "new-attr", "new-value",
                "new-journey_features-text", "new-hypotheses-state", "f-journey_features-0-state"):
        assert f'<label for="{fid}"' in page.text, fid
    assert re.search(r'<option value="Гражданин" selected>', page.text)


def test_a_field_changed_rewrites_the_text_like_profile_complete_and_the_finding_is_beside_it(client):
    source = (EXAMPLES / STUDENT).read_text(encoding="utf-8")
    answer = write(client, f"/profiles/field/{STUDENT}", {"source": source, "edit": "attribute", "key": "возраст", "value": "сто лет"})
    assert answer.status_code == 200
    new = _rewritten(answer)
    assert new == source.replace("возраст: 20 лет", "возраст: сто лет")  # the comment and every other line as written
    row = re.search(r'<tr id="f-attr-1">.*?</tr>', answer.text, re.S).group(0)
    assert "сто лет" in row and "не число" in row  # the reading error is shown beside the row it concerns
    assert 'id="findings" aria-live="polite" hx-swap-oob="true"' in answer.text
    fixed = write(client, f"/profiles/field/{STUDENT}", {"source": new, "edit": "attribute", "key": "возраст", "value": "21"})
    assert "не число" not in fixed.text and _rewritten(fixed) == source.replace("возраст: 20 лет", "возраст: 21")


def test_items_and_rows_are_added_in_the_files_key_language_and_states_set(client):
    source = (EXAMPLES / STUDENT).read_text(encoding="utf-8")
    answer = write(client, f"/profiles/field/{STUDENT}", {"source": source, "edit": "add_item", "list": "hypotheses", "sub": "",
                                                         "text": "Ищет подработку", "state": "открыта", "evidence": "интервью: 3 из 10"})
    new = _rewritten(answer)
    assert new.endswith('hypotheses:\n  - text: Ищет подработку\n    state: открыта\n    evidence: "интервью: 3 из 10"\n')
    new = _rewritten(write(client, f"/profiles/field/{STUDENT}", {"source": new, "edit": "item_state", "list": "journey_features",
                                                                   "sub": "", "index": "1", "state": "подтверждена"}))
    assert "  - text: Необходимо общежитие\n    state: подтверждена\n" in new
    new = _rewritten(write(client, f"/profiles/field/{STUDENT}", {"source": new, "edit": "scalar", "key": "stage", "value": "II"}))
    assert "\nstage: II\n" in new and new.startswith("# Методика")
    refused = write(client, f"/profiles/field/{STUDENT}", {"source": new, "edit": "drop_everything"})
    assert refused.status_code == 400


def test_autocomplete_offers_the_statuss_attributes_and_an_attributes_values(client):
    attrs = client.get("/profiles/options/attributes", params={"status": "Citizen", "key": "возрас"})
    assert attrs.status_code == 200 and '<option value="возраст">' in attrs.text
    values = client.get("/profiles/options/values", params={"status": "Citizen", "attribute": "пол", "value": "жен"})
    assert '<option value="женский">' in values.text and "мужской" not in values.text


def test_the_same_text_checked_again_is_not_validated_again(own):
    folder, client = own
    ws = client.app.state.workspace
    source = (folder / STUDENT).read_text(encoding="utf-8") + "# правка\n"
    first = ws.check_text(STUDENT, source, Lang.RU)
    assert ws.check_text(STUDENT, source, Lang.RU) is first
    assert ws.check_text(STUDENT, source + "# ещё\n", Lang.RU) is not first


def test_each_autocomplete_list_is_filled_in_place_not_in_the_form_it_sits_in(client):
    page = client.get(f"/profiles/edit/{STUDENT}").text
    lists = re.findall(r"<datalist[^>]*>", page)
    assert len(lists) >= 3  # the rows' values, the new row's attribute and value
    for tag in lists:  # without its own target a list inherits the add-row form's (#fields) and replaces the fields with options
        assert 'hx-target="this"' in tag, tag
