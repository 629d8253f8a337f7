"""``segmentum report`` on the shipped examples: DOCX read back with python-docx, golden Markdown and HTML."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from segmentum.cli.main import main

from .conftest import DATA, EXAMPLES, ROOT

METHODOLOGY = ["student-neighbour-region", "tour-operator-regular-tours", "young-soldier"]
SECTIONS = ["Основные признаки", "Особенности клиентского пути", "Предпочтительные каналы связи", "Информирование",
            "Получение услуг", "Боли", "Дополнительно"]

NOT_CONFORMING = """status: Гражданин
life_situation: Поступление в вуз
stage: III
attributes:
  пол: женский
"""


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def following(document, heading: str) -> list[str]:
    """Texts of the body blocks after a heading, up to the next heading (paragraphs and tables)."""
    body = document.element.body
    out, inside = [], False
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(block, document)
            if p.style.name.startswith("Heading"):
                if inside:
                    break
                inside = p.text == heading
                continue
            if inside and p.text.strip():
                out.append(p.text)
        elif tag == "tbl" and inside:
            out.append("table")
    return out


@pytest.fixture(scope="module")
def methodology_docx(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("report")
    out = {}
    for name in METHODOLOGY:
        path = folder / f"{name}.docx"
        result = CliRunner().invoke(main, ["report", str(EXAMPLES / f"{name}.yaml"), "-o", str(path)])
        assert result.exit_code == 0, result.output
        out[name] = docx.Document(str(path))
    path = folder / "appendix.docx"
    result = CliRunner().invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "--appendix", "-o", str(path)])
    assert result.exit_code == 0, result.output
    out["appendix"] = docx.Document(str(path))
    return out


@pytest.mark.parametrize("name", METHODOLOGY)
def test_the_methodology_profiles_give_a_docx_with_every_section_filled(methodology_docx, name):
    d = methodology_docx[name]
    heads = [text for _, text in headings(d)]
    assert heads[0] == "Профиль клиентского сегмента"
    for section in SECTIONS:
        assert section in heads, section
        if section != "Предпочтительные каналы связи":  # its content is under Информирование / Получение услуг
            assert following(d, section), f"{section} is empty"
            assert "не заполнено" not in following(d, section), f"{section} is not filled"
    assert "Проверка профиля" not in heads  # findings by line and column belong to the technical appendix
    text_of = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    for leftover in ("Файл профиля", ".yaml", "segmentum ", "docs/", "Строка:столбец"):
        assert leftover not in text_of, leftover
    styles = {style for style, _ in headings(d)}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    meta = {p.text.split(":", 1)[0]: p.text.split(":", 1)[1].strip() for p in d.paragraphs if ":" in p.text and p.runs and p.runs[0].bold}
    assert meta["Название профиля"] and meta["Статус клиента"] and meta["Этап профилирования"].startswith("III")


def test_docx_attribute_table_lists_main_attributes_first_with_their_sources(methodology_docx):
    d = methodology_docx["student-neighbour-region"]
    table = d.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Признак", "Значение", "Источник (НПА и статья, форма и поле)"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == ["пол", "возраст", "регион проживания"]  # the citizen template's main attributes
    assert rows[1][1] == "20 лет"
    assert rows[2][1] == "Московская область"
    assert all(r[2] for r in rows)
    assert table.rows[1].cells[0].paragraphs[0].runs[0].bold  # a main attribute of the template
    soldier = methodology_docx["young-soldier"].tables[0]
    service_row = next(r for r in soldier.rows if r.cells[0].text == "стаж работы")
    assert "79-ФЗ, ст. 54" in service_row.cells[2].text


def test_docx_is_a4_with_a_page_number_field(methodology_docx):
    d = methodology_docx["young-soldier"]
    section = d.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    assert d.core_properties.title == "Профиль клиентского сегмента"
    channels = following(d, "Получение услуг")
    assert any("Сайт ЕРЦ МО РФ" in c for c in channels) and all("открыта" in c for c in channels)


def test_docx_appendix_shows_the_file_and_the_findings(methodology_docx):
    d = methodology_docx["appendix"]
    assert ("Heading 1", "Приложение. Технические сведения") in headings(d)
    after = following(d, "Молодой военнослужащий")
    assert after[0] == "Файл профиля: " + str(EXAMPLES / "young-soldier.yaml") and after[1].startswith("соответствует")
    findings = d.tables[-1]
    assert [c.text for c in findings.rows[0].cells] == ["Важность", "Строка:столбец", "Замечание"]
    assert any("Боли сегмента не указаны" in r.cells[2].text for r in findings.rows[1:])


def test_segmentation_report_of_a_folder(runner, tmp_path):
    out = tmp_path / "all.docx"
    result = runner.invoke(main, ["report", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    heads = headings(d)
    assert heads[0] == ("Title", "Сегментация клиентов: профили клиентских сегментов")
    assert ("Heading 1", "Сегменты") in heads and ("Heading 1", "Приоритизация сегментов (II этап)") in heads
    assert sum(1 for _, t in heads if t == "Профиль клиентского сегмента") == 8
    segments, priority = d.tables[0], d.tables[1]
    # only the segments of stage II and later, ranked ones in the table: the others are named under it
    assert len(segments.rows) == 9 and len(priority.rows) == 3
    header = [c.text for c in priority.rows[0].cells]
    assert header[:3] == ["Место", "Сегмент", "Баллы"] and "ёмкость сегмента" in header and header[-1] == "Обоснование"
    first = [c.text for c in priority.rows[1].cells]
    assert first[0] == "1" and first[1] == "Маломобильный гражданин на повторном освидетельствовании"  # capacity, satisfaction, blind zone
    after = following(d, "Приоритизация сегментов (II этап)")
    assert not any("по названию" in line or "равны с предыдущим" in line for line in after)  # no tie among the ranked rows
    assert any(line.startswith("Без оценок критериев") and "«Молодой военнослужащий»" in line for line in after)
    assert not any("ИП, нанимающий иностранных работников" in line for line in after)  # stage I
    assert d.sections[1].orientation == WD_ORIENT.LANDSCAPE and d.sections[2].orientation == WD_ORIENT.PORTRAIT


def test_segments_file_gives_the_priority_table(runner, tmp_path):
    out = tmp_path / "r.docx"
    seg = ROOT / "examples" / "segments.yaml"
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), str(EXAMPLES / "student-neighbour-region.yaml"),
                                  "--segments", str(seg), "--appendix", "-o", str(out)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    assert any(p.text == f"Файл сегментов: {seg}." for p in d.paragraphs)
    assert len(d.tables[1].rows) == 8  # the seven segments of the file
    assert d.tables[1].rows[1].cells[1].text == "Студент, проживающий в соседнем регионе"


@pytest.fixture()
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_markdown_of_one_profile(runner, golden, in_root):
    result = runner.invoke(main, ["report", "examples/profiles/young-soldier.yaml", "-f", "md"])
    assert result.exit_code == 0, result.output
    golden("report-young-soldier.md", result.stdout)


def test_markdown_of_the_examples(runner, golden, in_root):
    result = runner.invoke(main, ["report", "examples/profiles/", "-f", "md"])
    assert result.exit_code == 0, result.output
    golden("report-examples.md", result.stdout)


def test_html_of_the_examples(runner, golden, in_root):
    result = runner.invoke(main, ["report", "examples/profiles/", "-f", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and "@page" in result.stdout
    golden("report-examples.html", result.stdout)


def test_report_in_english(runner, golden, in_root):
    result = runner.invoke(main, ["--lang", "en", "report", "examples/profiles/tour-operator-regular-tours.yaml", "-f", "md"])
    assert result.exit_code == 0, result.output
    golden("report-tour-operator-regular-tours.en.md", result.stdout)


def test_a_profile_that_fails_validation_is_marked(runner, tmp_path):
    prof = tmp_path / "draft.yaml"
    prof.write_text(NOT_CONFORMING, encoding="utf-8")
    out = tmp_path / "draft.docx"
    result = runner.invoke(main, ["report", str(prof), "-o", str(out)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    marks = [p for p in d.paragraphs if p.style.name == "Intense Quote"]
    assert marks and "не соответствует" in marks[0].text
    md = runner.invoke(main, ["report", str(prof), "-f", "md"]).stdout
    assert "> **Профиль пока не соответствует требованиям своего этапа" in md and "| ошибка |" not in md
    md = runner.invoke(main, ["report", str(prof), "-f", "md", "--appendix"]).stdout
    assert "| ошибка |" in md and md.index("| ошибка |") > md.index("## Приложение. Технические сведения")


def test_strict_writes_nothing_for_a_failing_profile(runner, tmp_path):
    prof = tmp_path / "draft.yaml"
    prof.write_text(NOT_CONFORMING, encoding="utf-8")
    out = tmp_path / "draft.docx"
    result = runner.invoke(main, ["report", str(prof), "--strict", "-o", str(out)])
    assert result.exit_code == 1
    assert "draft" in result.stderr and "--strict" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [prof]
    ok = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "--strict", "-o", str(out)])
    assert ok.exit_code == 0 and out.exists()


def test_output_in_a_missing_folder_is_bad_input(runner, tmp_path):
    out = tmp_path / "missing" / "r.docx"
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "-o", str(out)])
    assert result.exit_code == 2
    assert "не удаётся записать отчёт" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_output_without_write_permission_leaves_no_file(runner, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # the rename of write_atomic is refused, as in a read-only folder
    out = tmp_path / "r.docx"
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_docx_needs_an_output_file(runner):
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml")])
    assert result.exit_code == 2 and "-o" in result.stderr


def test_lang_may_follow_the_command(runner, in_root):
    result = runner.invoke(main, ["report", "examples/profiles/young-soldier.yaml", "-f", "md", "--lang", "en"])
    assert result.exit_code == 0 and result.stdout.startswith("# Client segment profile")
    ranked = runner.invoke(main, ["prioritise", "examples/segments.yaml", "--lang", "en"])
    assert ranked.exit_code == 0 and ranked.stdout.startswith("Rank")


@pytest.mark.parametrize(("ref", "english"), [
    ("ст. 17.1 (часть не проверена)", "Art. 17.1 (part not verified)"),
    ("ч. 1 п. 1 подп. «а»", "Part 1 item 1 sub-item «а»"),
    ("подраздел 1.1, графа 4", "subsection 1.1, column 4"),
    ("лист / пункт не проверен", "sheet / item not verified"),
    ("раздел о собственнике (номер не проверен)", "раздел о собственнике (number not verified)"),  # words of the form stay
])
def test_references_to_articles_and_fields_in_english(ref, english):
    from segmentum.catalogue.wording import ref_text

    assert ref_text(ref, "en") == english
    assert ref_text(ref, "ru") == ref


def test_text_after_a_list_in_the_notes_is_not_part_of_the_list(runner, golden, in_root):
    """Notes with a list followed by a line of text: the line is a paragraph of its own, not a
    continuation of the last item (read back with a CommonMark parser)."""
    from markdown_it import MarkdownIt

    result = runner.invoke(main, ["report", "tests/data/report/notes-after-list.yaml", "-f", "md"])
    assert result.exit_code == 0, result.output
    golden("report-notes-after-list.md", result.stdout)
    notes = result.stdout.split("## Дополнительно", 1)[1].split("\n## ", 1)[0]
    tokens = MarkdownIt("commonmark").parse(notes)
    inside_items = {t.content for t in tokens if t.type == "inline" and t.level > 2}
    paragraphs = [t.content for t in tokens if t.type == "inline" and t.level == 1]
    assert inside_items >= {"опрос в бюро МСЭ", "обращения граждан в региональное бюро"}
    assert "Численность уточнить по данным ЕАВИИАС." in paragraphs
    assert not any("Численность" in t for t in inside_items)


def test_a_list_in_the_notes_is_a_list_in_html(runner, in_root):
    result = runner.invoke(main, ["report", "tests/data/report/notes-after-list.yaml", "-f", "html"])
    assert result.exit_code == 0, result.output
    assert ("<p>Источники:</p>\n<ul>\n  <li>опрос в бюро МСЭ</li>\n  <li>обращения граждан в региональное бюро</li>\n</ul>\n"
            "<p>Численность уточнить по данным ЕАВИИАС.</p>\n<p>Второй абзац<br>\nв две строки.</p>") in result.stdout


def test_a_list_in_the_notes_is_a_bulleted_list_in_word(runner, tmp_path):
    out = tmp_path / "notes.docx"
    result = runner.invoke(main, ["report", str(ROOT / "tests/data/report/notes-after-list.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    paragraphs = docx.Document(str(out)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Дополнительно" and p.style.name.startswith("Heading"))
    notes = [(p.style.name, p.text) for p in paragraphs[start + 1:start + 6]]
    assert notes == [
        ("Normal", "Источники:"),
        ("List Bullet", "опрос в бюро МСЭ"),
        ("List Bullet", "обращения граждан в региональное бюро"),
        ("Normal", "Численность уточнить по данным ЕАВИИАС."),
        ("Normal", "Второй абзац\nв две строки."),
    ]


def test_numbered_lists_in_the_notes_keep_their_numbers():
    from segmentum.reports.markup import _html_paragraphs, _md_lines, text_blocks

    notes = "Шаги:\n1. запись\n2. приём\n   в бюро МСЭ\nИтог <важно>"
    assert text_blocks(notes) == [("p", ["Шаги:"]), ("ol", ["запись", "приём в бюро МСЭ"]), ("p", ["Итог <важно>"])]
    assert "<ol>\n  <li>запись</li>\n  <li>приём в бюро МСЭ</li>\n</ol>\n<p>Итог &lt;важно&gt;</p>" in _html_paragraphs(notes)
    assert _md_lines(notes) == "Шаги:\n\n1. запись\n2. приём\n   в бюро МСЭ\n\nИтог <важно>"


REFUTED = """название: Опровергнутые гипотезы
статус: внутренний клиент
услуга: 2-НДФЛ
этап: IV этап
признаки:
  - вид службы – военная
особенности клиентского пути:
  - текст: Получает справку лично в УФО
    состояние: опровергнута
    подтверждение: статистика выдачи справок
каналы:
  информирование:
    - канал: сайт ЕРЦ
      состояние: опровергнут
      подтверждение: опрос, 3 %
боли:
  - текст: Не знает, куда обращаться
    состояние: подтверждена
    подтверждение: обращения в приёмную
"""


def test_evidence_of_a_refuted_item_is_not_called_a_confirmation(runner, tmp_path):
    prof = tmp_path / "refuted.yaml"
    prof.write_text(REFUTED, encoding="utf-8")
    md = runner.invoke(main, ["report", str(prof), "-f", "md"])
    assert md.exit_code == 0, md.output
    assert "*опровергнута*; основание: статистика выдачи справок" in md.stdout
    assert "; основание: опрос, 3 %" in md.stdout
    assert "*подтверждена*; подтверждение: обращения в приёмную" in md.stdout
    html = runner.invoke(main, ["report", str(prof), "-f", "html"]).stdout
    assert "</span>; основание: статистика выдачи справок" in html and "</span>; подтверждение: обращения" in html
    out = tmp_path / "refuted.docx"
    assert runner.invoke(main, ["report", str(prof), "-o", str(out)]).exit_code == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Получает справку лично в УФО — опровергнута; основание: статистика выдачи справок" in texts
    assert "Не знает, куда обращаться — подтверждена; подтверждение: обращения в приёмную" in texts
    en = runner.invoke(main, ["--lang", "en", "report", str(prof), "-f", "md"]).stdout
    assert "; evidence: статистика выдачи справок" in en and "подтверждение:" not in en


# ---------------------------------------------------------------- profiles as methodologists write them

@pytest.mark.parametrize("name, start", [("r.html", b"<!DOCTYPE html>"), ("r.md", "# Профиль".encode()), ("r.docx", b"PK")])
def test_report_format_follows_the_output_extension(runner, tmp_path, name, start):
    out = tmp_path / name
    result = runner.invoke(main, ["report", str(DATA / "profiles" / "soldier-refined.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)


def test_report_to_an_unknown_extension_writes_nothing(runner, tmp_path):
    result = runner.invoke(main, ["report", str(DATA / "profiles" / "soldier-refined.yaml"), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "«.pdf»" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_english_report_cites_form_fields_in_english(runner):
    result = runner.invoke(main, ["--lang", "en", "report", str(EXAMPLES / "large-family-car-purchase.yaml"),
                                  str(EXAMPLES / "student-neighbour-region.yaml"), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "«Application for state registration of a vehicle», owner section (number not verified)" in result.stdout
    assert "Procedure No. 1076, item on the particulars of the application" in result.stdout
    assert "раздел о" not in result.stdout and "пункт о сведениях" not in result.stdout


def test_the_stage_iv_report_of_a_profile_with_paraphrased_names_in_markdown(runner, golden, monkeypatch):
    monkeypatch.chdir(DATA / "labels")
    result = runner.invoke(main, ["report", "profiles/dismissed-officers.yaml", "--format", "md"])
    assert result.exit_code == 0, result.output
    golden("report-dismissed-officers.md", result.stdout)


def test_one_channel_named_twice_for_one_purpose_shows_each_name(runner):
    profile = str(DATA / "labels" / "profiles" / "young-drivers.yaml")
    result = runner.invoke(main, ["report", profile, "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "gosuslugi.ru («Госуслуги») — *открыта*" in result.stdout  # «Госуслуги» and «ЕПГУ»: not one line twice
    assert "gosuslugi.ru («ЕПГУ») — *открыта*" in result.stdout
    shown = runner.invoke(main, ["profile", "show", profile])
    assert "gosuslugi.ru («Госуслуги»); " in shown.stdout


# ---------------------------------------------------------------- the DOCX as printed, and an agency's template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
_SPLIT = re.compile(r"[\s\-/]+")  # a word may break after a hyphen or a slash, nowhere else


def _word(w: str) -> str:
    return w.strip("«»()\"',.;:")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The segmentation report of the examples and the three methodology profiles, printed to PDF by
    LibreOffice in one run: (docx, pdf) by name."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from click.testing import CliRunner
    from pypdf import PdfReader

    folder = tmp_path_factory.mktemp("printed")
    jobs = {"examples": [str(EXAMPLES)], **{name: [str(EXAMPLES / f"{name}.yaml")] for name in METHODOLOGY}}
    for name, args in jobs.items():
        result = CliRunner().invoke(main, ["report", *args, "-o", str(folder / f"{name}.docx")])
        assert result.exit_code == 0, result.output
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in jobs)],
                   check=True, capture_output=True, timeout=240)
    return {n: (docx.Document(str(folder / f"{n}.docx")), PdfReader(str(folder / f"{n}.pdf"))) for n in jobs}


@pytest.mark.slow
def test_printed_report_keeps_every_table_word_whole_and_its_pages_few(printed):
    for name, (document, pdf) in printed.items():
        printed_words = {_word(w) for page in pdf.pages for w in _SPLIT.split(page.extract_text())}
        split = {w for t in document.tables for r in t.rows for c in r.cells for w in _SPLIT.split(c.text)
                 if _word(w) and _word(w) not in printed_words}
        assert not split, f"{name}: words broken across lines in a table: {sorted(split)}"
        if name in METHODOLOGY:
            assert 1 <= len(pdf.pages) <= 3, (name, len(pdf.pages))
    document, pdf = printed["examples"]
    assert len(pdf.pages) <= 17  # 23 pages when every column was as wide as the others
    pages = [p for p in pdf.pages if "Приоритизация сегментов (II этап)" in p.extract_text()]
    assert len(pages) == 1 and pages[0].mediabox.width > pages[0].mediabox.height  # one landscape page
    assert "Многодетная семья" in pages[0].extract_text()  # the whole table on it


def _agency_template(path) -> None:
    """An agency's Word file: its own heading font, a header line, a sample paragraph, and no list or title styles."""
    d = docx.Document()
    d.styles["Heading 1"].font.name = "Arial"
    d.sections[0].header.paragraphs[0].text = "Министерство образования области"
    d.add_paragraph("Образец бланка")
    for name in ("List Bullet", "List Number", "Title"):
        d.styles.element.remove(d.styles[name].element)
    d.save(str(path))


def test_report_in_an_agency_template_takes_its_styles_and_header(runner, tmp_path):
    template, out = tmp_path / "бланк.docx", tmp_path / "r.docx"
    _agency_template(template)
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), str(EXAMPLES / "student-neighbour-region.yaml"),
                                  "--template", str(template), "-o", str(out)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    assert d.sections[0].header.paragraphs[0].text == "Министерство образования области"
    assert d.styles["Heading 1"].font.name == "Arial"
    assert "Образец бланка" not in [p.text for p in d.paragraphs]
    assert d.paragraphs[0].style.name == "Title"  # a style the template lacks comes from the default one
    assert any(p.text.startswith("– Для получения 2-НДФЛ") for p in d.paragraphs)  # a list without a list style


def test_report_template_that_is_not_a_word_file_is_bad_input(runner, tmp_path):
    template, out = tmp_path / "бланк.docx", tmp_path / "r.docx"
    template.write_text("not a zip", encoding="utf-8")
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "--template", str(template), "-o", str(out)])
    assert result.exit_code == 2 and "шаблон" in result.output and not out.exists()
    result = runner.invoke(main, ["report", str(EXAMPLES / "young-soldier.yaml"), "--template", str(template), "-f", "md"])
    assert result.exit_code == 2 and "docx" in result.output


def test_docx_columns_are_sized_to_their_content(methodology_docx):
    table = methodology_docx["young-soldier"].tables[0]
    widths = [c.width for c in table.rows[0].cells]
    assert widths[2] > widths[0] and widths[2] > widths[1]  # the sources get the room, not «возраст»
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header row repeats on each page


def test_report_values_in_one_form():
    from segmentum.catalogue.lemmas import singular
    from segmentum.catalogue.wording import english_singular

    assert singular("Общества с ограниченной ответственностью") == "общество с ограниченной ответственностью"
    assert singular("Публичные акционерные общества") == "публичное акционерное общество"
    assert singular("Некоммерческие партнерства") == "некоммерческое партнерство"
    assert singular("Республика Татарстан") == "Республика Татарстан"
    assert english_singular("Limited liability companies") == "limited liability company"
    assert english_singular("Chambers of commerce and industry") == "chamber of commerce and industry"


def test_no_priority_section_before_stage_ii(runner, tmp_path):
    twin = tmp_path / "twin.yaml"
    twin.write_text((EXAMPLES / "employer-foreign-workers.yaml").read_text(encoding="utf-8").replace("id: employer-foreign-workers", "id: twin"),
                    encoding="utf-8")
    result = runner.invoke(main, ["report", str(EXAMPLES / "employer-foreign-workers.yaml"), str(twin), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "## Сегменты" in result.stdout and "Приоритизация" not in result.stdout  # both at stage I


def test_priority_tie_note_once_and_unranked_rows_named():
    from segmentum.i18n.messages import Lang, text
    from segmentum.reports.model import _priority_for_report

    tie = text("prio.reason_tie_title", Lang.RU)
    row = lambda title, value, reason: {"rank": 0, "title": title, "criteria": {"capacity": value}, "reason": reason}  # noqa: E731
    data = {"criteria": [{"id": "capacity", "label": "ёмкость сегмента", "weight": 2}], "notes": [], "remarks": [],
            "rows": [row("А", {"value": "5"}, "больше всего дали: ёмкость"), row("Б", {"value": "5"}, f"больше всего дали: ёмкость; {tie}"),
                     row("В", {"value": "5"}, f"больше всего дали: ёмкость; {tie}"), row("Г", None, f"нет данных: ёмкость; {tie}")]}
    shown = _priority_for_report(data, Lang.RU)
    assert [(r["rank"], r["title"]) for r in shown["rows"]] == [(1, "А"), (2, "Б"), (3, "В")]
    assert all(tie not in r["reason"] for r in shown["rows"]) and shown["tie_note"]
    assert shown["unranked"] == "Без оценок критериев (не ранжированы): «Г»."
    assert "docs/" not in shown["weights_note"]
