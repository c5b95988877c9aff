"""Render a workbook as people see it, with LibreOffice headless: xlsx -> PDF -> PNG.

Used by ``make screenshots-xlsx`` (``docs/summary-sheet.png``, the Summary sheet of the
sample's report) and by ``tests/test_report_render.py``. Needs ``soffice``
(Debian: ``libreoffice-calc-nogui``) and ``pdftoppm`` (``poppler-utils``).

    python docs/render_xlsx.py            # writes docs/summary-sheet.png
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(xlsx: Path, outdir: Path) -> Path:
    """The workbook printed to PDF (every sheet, as its print setup says), with a private
    LibreOffice profile so that parallel runs do not share one."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (xlsx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {xlsx}")
    return pdf


def page_pixels(pdf: Path, page: int = 1, dpi: int = 110) -> np.ndarray:
    """One page as an RGB array (height x width x 3), through pdftoppm's PPM output."""
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        check=True, capture_output=True, timeout=120,
    ).stdout  # fmt: skip
    # binary PPM: "P6\n<width> <height>\n<maxval>\n" then the pixels
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while out[pos : pos + 1].isspace():
            pos += 1
        end = pos
        while not out[end : end + 1].isspace():
            end += 1
        fields.append(out[pos:end])
        pos = end
    width, height = int(fields[1]), int(fields[2])
    data = np.frombuffer(out, dtype=np.uint8, count=width * height * 3, offset=pos + 1)
    return data.reshape(height, width, 3)


def trim(pixels: np.ndarray, margin: int = 16, footer: bool = False) -> np.ndarray:
    """The page cut to its content plus ``margin`` pixels (without the footer line)."""
    ink = (pixels < 245).any(axis=2)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return pixels
    bottom = rows[-1]
    if not footer:
        gaps = np.flatnonzero(np.diff(rows) > 40)  # the footer sits after the last big gap
        if gaps.size:
            bottom = rows[gaps[-1]]
    top, left, right = rows[0], cols[0], cols[-1]
    h, w = pixels.shape[:2]
    return pixels[
        max(0, top - margin) : min(h, bottom + margin),
        max(0, left - margin) : min(w, right + margin),
    ]


def write_png(pixels: np.ndarray, path: Path) -> None:
    """An RGB array as a PNG file (zlib and struct only)."""
    height, width = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    path.write_bytes(png)


def summary_screenshot(out: Path, src: Path, *args: str) -> None:
    """Report ``src``, print it, and save page 1 (the Summary sheet) as ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "report.xlsx"
        subprocess.run(
            [sys.executable, "-m", "csitool", "report", str(src), "-o", str(book), "-q", *args],
            check=True, cwd=ROOT,
        )  # fmt: skip
        pdf = to_pdf(book, Path(tmp))
        write_png(trim(page_pixels(pdf, 1, dpi=110)), out)
    print(f"wrote {out}")


def main() -> None:
    config = ["--config", "sample_data/csitool.toml"]
    summary_screenshot(
        ROOT / "docs" / "summary-sheet.png",
        Path("sample_data") / "survey_en.csv",
        "--by", "Customer type", "--lang", "en", *config,
    )  # fmt: skip
    summary_screenshot(
        ROOT / "docs" / "summary-sheet-ko.png",
        Path("sample_data") / "survey.xlsx",
        "--by", "고객유형", *config,
    )  # fmt: skip


if __name__ == "__main__":
    main()
