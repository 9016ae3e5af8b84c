"""A report as plain structure, rendered to Markdown (pastes into Word) or PDF.

Reports a regulator asks for are mostly headings, short paragraphs and
tables; keeping them as data lets one builder feed every output format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class ReportDoc:
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)

    def add(self, title: str, *paragraphs: str) -> Section:
        s = Section(title, list(paragraphs))
        self.sections.append(s)
        return s


def _cell(value: Any) -> str:
    if isinstance(value, float):
        value = int(value) if value.is_integer() else round(value, 2)
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: ReportDoc) -> str:
    out = [f"# {doc.title}", "", doc.subtitle, ""]
    for s in doc.sections:
        out += [f"## {s.title}", ""]
        for p in s.paragraphs:
            out += [p, ""]
        if s.header:
            out.append("| " + " | ".join(_cell(h) for h in s.header) + " |")
            out.append("|" + "|".join("---" for _ in s.header) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in s.rows]
            out.append("")
    return "\n".join(out)


def to_text(doc: ReportDoc) -> str:
    """Plain text: headings underlined, tables tab-separated (paste into Word, then
    'Convert text to table')."""
    out = [doc.title, "=" * len(doc.title), doc.subtitle, ""]
    for s in doc.sections:
        out += [s.title, "-" * max(len(s.title), 4)]
        out += [*s.paragraphs, ""]
        if s.header:
            out.append("\t".join(_cell(h) for h in s.header))
            out += ["\t".join(_cell(c) for c in row) for row in s.rows]
            out.append("")
    return "\n".join(out)


def to_pdf(doc: ReportDoc, path: str | Path) -> Path:
    from tracer.recall import pdfkit

    st = pdfkit.styles()
    story: list[Any] = [pdfkit.para(doc.title, st.title), pdfkit.para(doc.subtitle, st.small)]
    for s in doc.sections:
        story.append(pdfkit.para(s.title, st.h2))
        story += [pdfkit.para(p, st.body) for p in s.paragraphs]
        if s.header:
            story.append(pdfkit.table(st, s.header, [[_cell(c) for c in r] for r in s.rows]))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return pdfkit.build(path, story, title=doc.title, footer=f"tracer · {doc.title} · {stamp}")


def write_report(doc: ReportDoc, path: str | Path) -> Path:
    """By suffix: .pdf, .md (Markdown) or anything else as plain text."""
    p = Path(path)
    if p.suffix.lower() == ".pdf":
        return to_pdf(doc, p)
    text = to_markdown(doc) if p.suffix.lower() in (".md", ".markdown") else to_text(doc)
    p.write_text(text, encoding="utf-8")
    return p
