"""Documents an eval uploads, written in the format their file name says (the red-team cases give
each as text: a .pdf gets a page per paragraph, a .docx a paragraph per paragraph and a heading per
Markdown heading; .md, .txt and .html are written as given)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = ["make_pdf", "write_document"]

_PDF_SAFE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...", "€": "EUR"})


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A valid PDF with one line of Helvetica text per page (pypdf extracts it back)."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_id = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def _latin1(text: str) -> str:
    """What the PDF's standard font can show: curly quotes and dashes made plain, accents kept."""
    text = unicodedata.normalize("NFC", text.translate(_PDF_SAFE))
    return text.encode("latin-1", "replace").decode("latin-1")


def write_document(path: Path, text: str) -> Path:
    """``text`` saved as the kind of file ``path`` names."""
    suffix = path.suffix.lower()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if suffix == ".pdf":
        return make_pdf(path, [_latin1(" ".join(p.split())) for p in paragraphs] or [" "])
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for paragraph in paragraphs:
            heading = re.match(r"(#{1,3})\s+(.*)", paragraph)
            if heading and "\n" not in paragraph:
                document.add_heading(heading.group(2), level=len(heading.group(1)))
            else:
                document.add_paragraph(" ".join(paragraph.split()))
        document.save(str(path))
        return path
    path.write_text(text, encoding="utf-8")
    return path
