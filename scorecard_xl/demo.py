"""`scorecard demo`: the sample workbook, refreshed, and a PDF of its pages (the Scorecard)."""

from __future__ import annotations

from pathlib import Path




def run_demo(out_dir: str | Path) -> str:
    from .backends.xlsxwriter_book import write_new_workbook
    from .compute.engine import load_scorecard
    from .pages.registry import plans_for
    from .update.refresh import refresh
    from .send.render import soffice, to_pdf
    from .starter import write_starter

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    book = out_dir / "sample scorecard.xlsx"
    if book.exists():
        book.unlink()  # the demo's own file, remade each run
    starter = out_dir / ".sample starter.xlsx"
    starter.unlink(missing_ok=True)
    write_starter(starter, sample=True)
    try:
        report = refresh(starter, out=book)  # a file made a moment ago needs no backup
    finally:
        starter.unlink(missing_ok=True)
    lines = [report.summary()]
    if soffice() is None:
        lines.append("LibreOffice is not installed, so no PDF was made "
                     "(sudo apt-get install -y libreoffice-calc-nogui).")
    else:
        # Only the workbook's pages go into the PDF: the raw sheets would add dozens of pages.
        pages = out_dir / "sample scorecard (Scorecard only).xlsx"
        write_new_workbook(pages, plans_for(load_scorecard(book)))
        try:
            pdf = to_pdf(pages, out_dir)
        finally:
            pages.unlink(missing_ok=True)
        target = out_dir / "sample scorecard.pdf"
        pdf.replace(target)
        lines.append(f"PDF of the Scorecard: {target}")
    lines.append(f"Workbook: {book}")
    return "\n".join(lines)



