"""segmentum workspace in a real browser: Debian's Chromium driven by Playwright, over the real command.

Scenario: find «организационно-правовая форма» by typing, open the attribute; filter the profiles
and create one from a status and a life situation; see a finding appear and disappear as the text
is typed; look at the diff and save; a second tab saving the same profile gets the conflict; accept the
dormitory suggestion and save it after its diff; download the profile's DOCX and open it; move a
weight slider of the stage II segments; run a named query and page a free one. By the fields: a student
profile made with the keyboard (status, life situation, stage, attribute rows typed with the autocomplete),
a finding beside its field that goes when it is fixed, the text showing what the fields wrote. No
error in the browser's console (a Content Security Policy violation would be one).

Screenshots of each page go to ``SEGMENTUM_SCREENSHOTS`` (``docs/workspace`` to renew the
documentation's), else to the test's temporary folder. Never ``playwright install``: the browser is
Debian's (``apt-get install -y chromium``, done by ``.ci/run``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from segmentum import resources

from .conftest import EXAMPLES, free_port, stop, wait_for

#: the accessibility checker injected into each page, fetched from npm at test time (MPL-2.0, not shipped)
AXE_VERSION = "4.14.1"

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
STUDENT = "student-neighbour-region.yaml"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install -y chromium (as .ci/run does)"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser") / "profiles"
    folder.mkdir()
    for name in (STUDENT, "small-business-procurement.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    catalogue = folder.parent / "catalogue"  # reviewed changes are applied to a copy, never to the checkout's
    shutil.copytree(resources.catalogue_dir(), catalogue, ignore=shutil.ignore_patterns(".segmentum*"))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "segmentum.cli.main", "workspace", str(folder), "--port", str(port),
                                "--catalogue", str(catalogue)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/profiles", process)
    yield folder, base
    stop(process)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SEGMENTUM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, errors: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ru-RU")
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"{m.text} ({m.location['url']})") if m.type == "error" and "status of 409" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def test_the_methodologist_scenario_in_a_real_browser(workspace, browser, shots):
    from playwright.sync_api import expect

    folder, base = workspace
    errors: list[str] = []
    context, page = open_page(browser, errors)

    # the catalogue: typing finds the attribute, server-side
    page.goto(f"{base}/catalogue")
    page.get_by_label("Поиск").press_sequentially("организационно-пр", delay=20)
    expect(page.locator("#attributes .count")).to_have_text("найдено признаков: 1")
    expect(page.locator("#attributes a", has_text="организационно-правовая форма")).to_be_visible()
    assert "q=" in page.url  # the search is in the address, to share or go back to
    page.screenshot(path=str(shots / "catalogue.png"))
    page.locator("#attributes a", has_text="организационно-правовая форма").click()
    expect(page.locator("h1")).to_contain_text("организационно-правовая форма")
    expect(page.locator("tr.deprecated").first).to_contain_text("заменено на")
    page.screenshot(path=str(shots / "attribute.png"), full_page=False)

    # the profiles: a filter, then a new profile from a status and a life situation
    page.goto(f"{base}/profiles")
    expect(page.locator("#profiles tbody tr")).to_have_count(2)
    page.screenshot(path=str(shots / "profiles.png"))
    page.select_option("#f-status", "business")
    expect(page.locator("#profiles tbody tr")).to_have_count(1)
    page.select_option("#n-status", "citizen")
    page.select_option("#n-ls", "university-admission")
    page.fill("#n-name", "student-new")
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(f"{base}/profiles/edit/student-new.yaml")
    assert (folder / "student-new.yaml").read_text(encoding="utf-8").startswith("#")

    # the editor: a finding appears as the mistake is typed, and goes when it is fixed
    page.goto(f"{base}/profiles/edit/{STUDENT}")
    area = page.locator("#source")
    original = area.input_value()
    area.fill(original.replace("пол: мужской", "пол: мужкой"))
    finding = page.locator("#findings li", has_text="«мужкой»")
    expect(finding).to_be_visible()
    expect(finding.locator("button.line")).to_have_text("строка 10")
    page.screenshot(path=str(shots / "editor.png"))
    area.fill(original.replace("пол: мужской", "пол: женский"))
    expect(finding).to_have_count(0)

    # a second tab opens the same profile before the first saves
    other_context, other = open_page(browser, errors)
    other.goto(f"{base}/profiles/edit/{STUDENT}")

    page.get_by_role("button", name="Показать изменения и сохранить").click()
    expect(page.locator("#changes .del", has_text="пол: мужской")).to_be_visible()
    expect(page.locator("#changes .add", has_text="пол: женский")).to_be_visible()
    page.screenshot(path=str(shots / "diff.png"))
    page.locator("#changes").get_by_role("button", name="Сохранить").click()
    expect(page.locator("#changes")).to_contain_text("сохранён")
    assert "пол: женский" in (folder / STUDENT).read_text(encoding="utf-8")

    other.locator("#source").fill(original.replace("возраст: 20 лет", "возраст: 21 год"))
    other.get_by_role("button", name="Показать изменения и сохранить").click()
    other.locator("#changes").get_by_role("button", name="Сохранить").click()
    expect(other.locator("#changes [role=alert]")).to_contain_text("изменён в другом окне")
    expect(other.locator("#changes .del", has_text="пол: женский")).to_be_visible()
    other.screenshot(path=str(shots / "conflict.png"))
    text = (folder / STUDENT).read_text(encoding="utf-8")
    assert "пол: женский" in text and "21 год" not in text  # never a silent overwrite

    # the first tab saves again: its version was updated by the save
    area.fill(original.replace("пол: мужской", "пол: женский").replace("Москва", "Москва  # столица"))
    page.get_by_role("button", name="Показать изменения и сохранить").click()
    page.locator("#changes").get_by_role("button", name="Сохранить").click()
    expect(page.locator("#changes")).to_contain_text("сохранён")
    assert "# столица" in (folder / STUDENT).read_text(encoding="utf-8")

    # the suggestions panel: accept the dormitory suggestion, see the diff, save
    dormitory = page.locator('#suggestions li[data-id="attribute/dormitory-need"]')
    expect(dormitory).to_contain_text("273-ФЗ")
    dormitory.get_by_role("button", name="Принять").click()
    expect(page.locator("#changes .add", has_text="потребность в общежитии:")).to_be_visible()
    page.screenshot(path=str(shots / "suggestions.png"))
    assert "потребность в общежитии" not in (folder / STUDENT).read_text(encoding="utf-8")  # the diff first
    page.locator("#changes").get_by_role("button", name="Сохранить").click()
    expect(page.locator("#changes")).to_contain_text("сохранён")
    saved = (folder / STUDENT).read_text(encoding="utf-8")
    assert "  потребность в общежитии:\n" in saved and "# столица" in saved
    expect(dormitory).to_have_count(0)  # the panel is read again: accepted, no longer suggested
    assert "потребность в общежитии:" in area.input_value()

    # the report of the profile, downloaded and opened
    with page.expect_download() as info:
        page.get_by_role("link", name="Отчёт DOCX").click()
    from docx import Document

    report = Document(str(info.value.path()))
    assert info.value.suggested_filename == "student-neighbour-region.docx"
    assert any("Студент, проживающий в соседнем регионе" in p.text for p in report.paragraphs)

    # segments of stage II: a slider ranks again on the server
    page.goto(f"{base}/segments")
    expect(page.locator("#segments tbody tr")).to_have_count(2)
    page.locator("#w-Capacity").fill("0")
    expect(page.locator("#segments .count")).to_contain_text("ёмкость сегмента 0")
    assert "w.Capacity=0" in page.url
    page.screenshot(path=str(shots / "segments.png"))

    # SPARQL: a named query with its parameter as a field; the free query
    page.goto(f"{base}/sparql")
    page.locator("#q-profiles-by-region summary").click()
    page.get_by_label("region", exact=False).first.fill("Москва")
    page.locator("#form-profiles-by-region").get_by_role("button", name="Выполнить").click()
    expect(page.locator("#results table")).to_contain_text("Студент, проживающий в соседнем регионе")
    page.locator("#form-free").get_by_role("button", name="Выполнить").click()
    expect(page.locator("#results .count")).to_contain_text("строки 1–100")
    page.locator("#results").get_by_role("button", name="Следующие").click()
    expect(page.locator("#results .count")).to_contain_text("строки 101–")
    page.screenshot(path=str(shots / "sparql.png"))

    # catalogue curation: a value proposed with its source, shown as a diff checked by the shapes, applied by a reviewer
    page.goto(f"{base}/curation")
    form = page.locator("#propose-value")
    form.get_by_label("Признак (название или идентификатор)").fill("организационно-правовая форма")
    form.get_by_label("Идентификатор значения").fill("okopf-99003")
    form.get_by_label("Название по-русски").fill("Проверочная форма")
    form.get_by_label("Название по-английски").fill("Test form")
    form.get_by_label("НПА").fill("99-ФЗ")
    form.get_by_label("Статья").fill("ст. 3")
    form.get_by_label("Автор").fill("Иванова И. И.")
    form.get_by_label("Причина").fill("форма встречается в заявлениях")
    form.get_by_role("button", name="Предложить").click()
    proposal = page.locator("#review article.proposal")
    expect(proposal.locator(".add", has_text="val:okopf-99003")).to_be_visible(timeout=180_000)
    expect(proposal).to_contain_text("каталог проходит проверку")
    page.screenshot(path=str(shots / "curation.png"), full_page=True)
    proposal.get_by_label("Рецензент", exact=True).fill("Петров П. П.")
    proposal.get_by_role("button", name="Применить").click()
    expect(page.locator("#review table")).to_contain_text("применено", timeout=180_000)
    expect(page.locator("#review article.proposal")).to_have_count(0)
    page.screenshot(path=str(shots / "history.png"), full_page=True)
    page.goto(f"{base}/catalogue/legal-form")
    expect(page.locator("table.list")).to_contain_text("Проверочная форма")
    page.goto(f"{base}/profiles/edit/{STUDENT}")

    # English
    page.get_by_role("link", name="English").click()
    expect(page.locator("h2#findings-title")).to_have_text("Validation findings")

    other_context.close()
    context.close()
    assert errors == []  # the 409 of the conflict is expected; nothing else


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory) -> str:
    """axe-core's script, from the npm package fetched now (``npm pack``); skipped when npm cannot fetch it."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("no npm: the accessibility check needs axe-core from npm (apt-get install -y npm)")
    folder = tmp_path_factory.mktemp("axe")
    done = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=folder, capture_output=True, text=True, timeout=120)
    tarballs = list(folder.glob("axe-core-*.tgz"))
    if done.returncode != 0 or not tarballs:
        pytest.skip(f"npm could not fetch axe-core@{AXE_VERSION}: {done.stderr.strip()[:300]}")
    import tarfile

    with tarfile.open(tarballs[0]) as tar:
        return tar.extractfile("package/axe.min.js").read().decode("utf-8")


#: what axe-core checks: WCAG 2.1 A and AA and its best practices
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "));
}"""


def test_no_serious_or_critical_accessibility_violation_on_any_page(workspace, browser, axe_source):
    """axe-core injected into each page (through the DevTools protocol, so the pages' CSP stays as it is)."""
    from playwright.sync_api import expect

    _folder, base = workspace
    errors: list[str] = []
    context, page = open_page(browser, errors)
    found = {}
    for url, ready in (("/catalogue", "#attributes"), ("/catalogue/legal-form", "table.list"), ("/profiles", "#profiles"),
                       (f"/profiles/edit/{STUDENT}", "#suggestions li"), ("/segments", "#segments"), ("/sparql", "#form-free"),
                       ("/curation", "#review"), ("/catalogue?lang=en", "#attributes"), ("/profiles?lang=ru", "#profiles")):
        page.goto(base + url)
        expect(page.locator(ready).first).to_be_visible(timeout=120_000)
        page.evaluate(axe_source + "\n;0")
        found[url] = page.evaluate(AXE_RUN)
    page.evaluate("() => { const i = document.createElement('input'); i.type = 'text'; document.querySelector('main').append(i); }")
    assert any(v.startswith("label ") for v in page.evaluate(AXE_RUN))  # the checker does see a field without a label
    context.close()
    assert {url: v for url, v in found.items() if v} == {}
    assert errors == []


def test_a_profile_made_by_the_fields_in_a_real_browser(workspace, browser, shots, request):
    """The methodology's student segment made in the by-field editor, with the keyboard: status, life situation,
    stage, attribute rows typed with the autocomplete; a finding beside its field; the YAML text shows what the fields wrote."""
    from playwright.sync_api import expect

    folder, base = workspace
    errors: list[str] = []
    context, page = open_page(browser, errors)
    page.goto(f"{base}/profiles")
    page.select_option("#n-status", "citizen")
    page.fill("#n-name", "student-fields")
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(f"{base}/profiles/edit/student-fields.yaml")
    area = page.locator("#source")
    fields = page.locator("#fields")
    expect(fields.get_by_label("Статус", exact=True)).to_have_value("Гражданин")

    # the selects, by the keyboard: each change rewrites the text, and the focus stays on the field
    situation = fields.get_by_label("Жизненная ситуация", exact=True)
    situation.focus()
    situation.select_option("Поступление в вуз")
    expect(area).to_have_value(re.compile("status: Гражданин\nlife_situation: Поступление в вуз\n"))
    expect(page.locator("#f-life_situation")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#f-stage")).to_be_focused()
    page.locator("#f-stage").select_option("Уточнение профиля")
    expect(area).to_have_value(re.compile("\nstage: Уточнение профиля\n"))

    # attribute rows typed with the autocomplete of the status's attributes and of the attribute's values
    def add_row(key: str, typed_key: str, value: str, typed_value: str) -> None:
        new_attr = page.locator("#new-attr")
        new_attr.focus()
        new_attr.press_sequentially(typed_key, delay=20)
        expect(page.locator(f'#new-attr-options option[value="{key}"]')).to_be_attached()
        new_attr.fill(key)  # the option chosen
        page.keyboard.press("Tab")
        expect(page.locator("#new-value")).to_be_focused()
        page.keyboard.type(typed_value, delay=20)
        if value != typed_value:
            expect(page.locator(f'#new-value-options option[value="{value}"]')).to_be_attached()
            page.locator("#new-value").fill(value)
        page.keyboard.press("Enter")  # the form sent from the keyboard
        expect(page.locator("#new-attr")).to_have_value("")
        expect(page.locator("#new-attr")).to_be_focused()

    add_row("пол", "по", "мужской", "муж")
    expect(fields.get_by_label("пол", exact=True)).to_have_value("мужской")
    add_row("возраст", "возр", "двадцать", "двадцать")
    age = fields.get_by_label("возраст", exact=True)
    row = page.locator("#fields tr", has=page.get_by_label("возраст", exact=True))
    expect(row.locator(".field-findings li")).to_contain_text("не число")  # the finding beside its field
    expect(page.locator("#findings li", has_text="не число")).to_be_visible()
    page.screenshot(path=str(shots / "fields-finding.png"), full_page=True)
    if shutil.which("npm"):
        axe = request.getfixturevalue("axe_source")
        page.evaluate(axe + "\n;0")
        assert page.evaluate(AXE_RUN) == []
    age.fill("20")
    age.press("Tab")  # the change sent
    expect(row.locator(".field-findings li")).to_have_count(0)
    expect(page.locator("#findings li", has_text="не число")).to_have_count(0)
    add_row("регион проживания", "регион про", "Московская область", "Московск")
    expect(fields.get_by_label("регион проживания", exact=True)).to_have_value("Московская область")

    # the text shows what the fields wrote; saved as any text is, after its diff
    written = area.input_value()
    for line in ("status: Гражданин\n", "life_situation: Поступление в вуз\n", "stage: Уточнение профиля\n", "  пол: мужской", "  возраст: 20",
                 "  регион проживания: Московская область"):
        assert line in written, line
    page.screenshot(path=str(shots / "fields.png"), full_page=False)
    page.get_by_role("button", name="Показать изменения и сохранить").click()
    expect(page.locator("#changes .add", has_text="пол: мужской")).to_be_visible()
    page.locator("#changes").get_by_role("button", name="Сохранить").click()
    expect(page.locator("#changes")).to_contain_text("сохранён")
    assert (folder / "student-fields.yaml").read_text(encoding="utf-8") == written.replace("\r\n", "\n")
    context.close()
    assert errors == []
