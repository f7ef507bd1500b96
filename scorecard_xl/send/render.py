"""PDF and PNG pictures of workbooks through LibreOffice (headless) and poppler."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..problems import WorkbookError

INSTALL_HINT = ("LibreOffice is not installed. On Debian/Ubuntu: sudo apt-get install -y libreoffice-calc-nogui "
                "poppler-utils; on Windows or Mac, install LibreOffice from its website, or print to PDF from Excel.")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(workbook: str | Path, out_dir: str | Path, timeout: float = 180) -> Path:
    """Convert ``workbook`` to PDF in ``out_dir``; raises WorkbookError with the install hint if needed."""
    program = soffice()
    if program is None:
        raise WorkbookError(INSTALL_HINT)
    workbook, out_dir = Path(workbook), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scorecard-lo-") as profile:
        command = [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out_dir), str(workbook)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    pdf = out_dir / (workbook.stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        raise WorkbookError(f"LibreOffice could not convert {workbook.name} to PDF: {result.stderr.strip()[:400]}")
    return pdf


def pdf_to_png(pdf: str | Path, out_prefix: str | Path, resolution: int = 80, first_page_only: bool = True) -> list[Path]:
    program = shutil.which("pdftoppm")
    if program is None:
        raise WorkbookError("pdftoppm is not installed (Debian/Ubuntu: sudo apt-get install -y poppler-utils).")
    command = [program, "-png", "-r", str(resolution)] + (["-f", "1", "-l", "1"] if first_page_only else [])
    subprocess.run(command + [str(pdf), str(out_prefix)], check=True, capture_output=True, timeout=120)
    prefix = Path(out_prefix)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))
