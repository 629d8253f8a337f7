"""Print the DOCX reports of the methodology's three example profiles to PDF and their pages to PNG
(``docs/report/*.png``, shown in ``docs/report.md``).

Usage (from the repository root, with LibreOffice installed: Debian's ``libreoffice-writer-nogui``)::

    .venv/bin/pip install pypdfium2 pillow
    .venv/bin/python tools/report_pages.py docs/report

It also prints the segmentation report of the shipped examples (``segmentum report examples/profiles
--segments examples/segments.yaml``) and keeps its first page and its landscape pages (the priority
table) as ``segmentation-<page>.png``.

The three profiles are the methodology's own examples (``examples/profiles/``): «Студент,
проживающий в соседнем регионе», «Туроператор, организующий регулярные туры», «Молодой
военнослужащий». Each report is written by ``segmentum report``, printed by ``soffice --headless
--convert-to pdf`` and each page rendered at 72 dpi × ``--scale`` by pypdfium2 as
``<profile>-<page>.png``; the PNGs written before for these profiles are removed first.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROFILES = ["student-neighbour-region", "tour-operator-regular-tours", "young-soldier"]
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where the PNGs go (docs/report)")
    parser.add_argument("--scale", type=float, default=1.2, help="pixels per PDF point (1.2: 714 × 1010 for A4)")
    args = parser.parse_args()
    import pypdfium2

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    segmentum = Path(sys.executable).with_name("segmentum")
    args.folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in PROFILES:
            subprocess.run([str(segmentum), "report", str(ROOT / "examples" / "profiles" / f"{name}.yaml"), "-o", str(work / f"{name}.docx")],
                           check=True)
        subprocess.run([str(segmentum), "report", str(ROOT / "examples" / "profiles"), "--segments", str(ROOT / "examples" / "segments.yaml"),
                        "-o", str(work / "segmentation.docx")], check=True)
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work), *(str(work / f"{n}.docx") for n in [*PROFILES, "segmentation"])], check=True, capture_output=True)
        for old in args.folder.glob("segmentation-*.png"):
            old.unlink()
        pdf = pypdfium2.PdfDocument(str(work / "segmentation.pdf"))
        for n in range(len(pdf)):
            width, height = pdf[n].get_size()
            if n == 0 or width > height:  # the title page, and the priority table's landscape pages
                out = args.folder / f"segmentation-{n + 1}.png"
                pdf[n].render(scale=args.scale).to_pil().quantize(colors=32).save(out, optimize=True)
                print(out)
        for name in PROFILES:
            for old in args.folder.glob(f"{name}-*.png"):
                old.unlink()
            pdf = pypdfium2.PdfDocument(str(work / f"{name}.pdf"))
            for n in range(len(pdf)):
                out = args.folder / f"{name}-{n + 1}.png"
                pdf[n].render(scale=args.scale).to_pil().quantize(colors=32).save(out, optimize=True)  # a palette: small files
                print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
