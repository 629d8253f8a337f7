"""``profile complete`` as the README shows it: a new profile, an accepted attribute, the line to fill in."""

from __future__ import annotations

import json

from segmentum.cli.main import main


def test_the_readme_example_accepts_the_dormitory_attribute_into_a_new_profile(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["profile", "new", "--status", "citizen", "--life-situation", "Поступление в вуз", "-o", "student.yaml"])
    assert made.exit_code == 0, made.stderr
    before = json.loads(runner.invoke(main, ["suggest", "student.yaml", "-f", "json"]).stdout)
    assert "attribute/dormitory-need" in {s["id"] for s in before["suggestions"]}

    done = runner.invoke(main, ["profile", "complete", "student.yaml", "--accept", "attribute/dormitory-need"])
    assert done.exit_code == 0, done.stderr
    lines = (tmp_path / "student.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("  потребность в общежитии:"))
    assert lines[line - 1] == "  потребность в общежитии:  # да/нет"  # the template's line, uncommented with its hint
    assert not any("# потребность в общежитии:" in text for text in lines)

    after = json.loads(runner.invoke(main, ["suggest", "student.yaml", "-f", "json"]).stdout)
    assert "attribute/dormitory-need" not in {s["id"] for s in after["suggestions"]}
    checked = runner.invoke(main, ["validate", "student.yaml", "-f", "json"])
    warnings = [f for f in json.loads(checked.stdout)["results"] if "потребность в общежитии" in f["message"]]
    assert [(w["severity"], w["line"]) for w in warnings] == [("warning", line)]


def test_an_attribute_is_added_to_a_mapping_without_a_template_line(runner, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("status: citizen\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 20\n", encoding="utf-8")
    done = runner.invoke(main, ["profile", "complete", str(path), "--accept", "attribute/dormitory-need"])
    assert done.exit_code == 0, done.stderr
    assert path.read_text(encoding="utf-8").endswith("attributes:\n  возраст: 20\n  потребность в общежитии:\n")


def test_a_flow_mapping_of_attributes_is_named_not_rewritten(runner, tmp_path):
    path = tmp_path / "p.yaml"
    original = "status: citizen\nlife_situation: Поступление в вуз\nstage: I\nattributes: {возраст: 20}\n"
    path.write_text(original, encoding="utf-8")
    done = runner.invoke(main, ["profile", "complete", str(path), "--accept", "attribute/dormitory-need"])
    assert done.exit_code == 2 and "p.yaml:4:1" in done.stderr and "attributes" in done.stderr
    assert path.read_text(encoding="utf-8") == original


def test_a_file_with_russian_keys_gets_its_new_keys_in_russian(runner, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("статус: Гражданин\nжизненная ситуация: Поступление в вуз\nэтап: I\n", encoding="utf-8")
    done = runner.invoke(main, ["profile", "complete", str(path), "--accept", "attribute/dormitory-need"])
    assert done.exit_code == 0, done.stderr
    assert path.read_text(encoding="utf-8").endswith("этап: I\nпризнаки:\n  потребность в общежитии:\n")
