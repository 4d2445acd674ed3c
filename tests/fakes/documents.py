"""Small real documents for the tests, made on the fly (no binary fixtures in the repo)."""

from __future__ import annotations

from pathlib import Path

from evals.documents import make_pdf

__all__ = ["make_docx", "make_html", "make_pdf"]


def make_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_html(path: Path, title: str, heading: str, paragraphs: list[str]) -> Path:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(
        f"<html><head><title>{title}</title><script>var tracking = 1;</script></head>"
        f"<body><nav>Home | Jobs</nav><h1>{heading}</h1>{body}<footer>© Company</footer></body></html>",
        encoding="utf-8",
    )
    return path
