"""OCR output (Markdown with math) into a draft derivation file: every line kept, each math line
annotated with its verdict or the reason it could not be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .marks import MARKS

RELATION = re.compile(r"[=<>]|\\(le|ge|leq|geq|lt|gt|iff|ne|neq|coloneqq|triangleq)(?![A-Za-z])")
FILE_KINDS = ("algebra", "chain rule", "derivative", "substitute", "definition", "limit", "case",
              "simplify", "expand", "product rule", "sign", "solve", "equivalent", "monotone")
DEFAULT_KIND = {"=": "algebra", "iff": "solve"}
MAX_REPAIRS = 200


@dataclass
class Counts:
    """What the import made of the scan."""

    lines: int = 0
    math_lines: int = 0          # lines holding display math or an inline relation
    segments: int = 0            # such math: a display, or an inline relation
    read: int = 0                # lines at least one step was read from
    steps: int = 0
    statuses: dict = field(default_factory=dict)
    unreadable: int = 0          # error lines: math that could not be read
    commented: int = 0           # lines kept as comments so that the draft reads back

    def summary(self) -> str:
        done = ", ".join(f"{n} {s}" for s, n in self.statuses.items() if n)
        return (f"{self.lines} lines, {self.math_lines} with math ({self.segments} segments); "
                f"steps read from {self.read} of them: {self.steps} ({done or 'none checked'}); "
                f"{self.unreadable} place{'' if self.unreadable == 1 else 's'} where math could "
                "not be read")


def draft(path: Path):
    """(the draft derivation file's text, Counts) for the OCR output in ``path``."""
    from .checks import check_derivation
    from .source.document import DocumentReader, read_text
    from .source.regions import Source, scan
    path = Path(path)
    text = read_text(path)
    reader = DocumentReader(path, markdown=True)
    reader.inline_steps = True       # OCR puts most math inline

    derivation = reader.read(empty_ok=True)
    results = check_derivation(derivation) if derivation.parts else []
    lines = text.splitlines()
    regions = [r for r in scan(Source(text), markdown=True) if _is_math(r)]
    units = _units(regions, len(lines))
    counts = Counts(lines=len(lines), math_lines=sum(len(u) for u in units), segments=len(regions))
    writer = _Writer(derivation, results, reader, lines, units, counts)
    return writer.read_back(path), counts


def _is_math(region) -> bool:
    return region.kind in ("display", "error") or (region.kind == "inline" and
                                                   bool(RELATION.search(region.text.s)))


def _units(regions, n_lines) -> list:
    """Runs of line numbers joined by the math regions spanning them (sorted, disjoint)."""
    spans = []
    for region in regions:
        if region.kind == "error":
            spans.append((region.text.where(0)[0],) * 2)
            continue
        first = region.text.where(0)[0] if region.text.s else region.text.end[0]
        spans.append((first, min(max(region.text.end[0], first), n_lines)))
    units = []
    for a, b in sorted(spans):
        if units and a <= units[-1][-1]:
            units[-1] = list(range(units[-1][0], max(b, units[-1][-1]) + 1))
        else:
            units.append(list(range(a, b + 1)))
    return units


class _Writer:
    def __init__(self, derivation, results, reader, lines, units, counts):
        self.derivation, self.results, self.reader = derivation, results, reader
        self.lines, self.units, self.counts = lines, units, counts
        self.names = dict(derivation.latex_names)
        self.quiet: set = set()        # ("line", n) or ("step", index): kept as comments instead

    # -- the text -------------------------------------------------------------------------
    def read_back(self, path: Path) -> str:
        """The draft, read back as derive reads a derivation file; whatever stops it from
        reading (a line of prose, a step) is kept as a comment instead, until it reads."""
        from .source import load_text
        for _ in range(MAX_REPAIRS):
            head = self.front_matter(path)
            body, origins = self.body()
            text = "\n".join(head + body) + "\n"
            try:
                load_text(text, str(path.with_name(path.stem + ".draft.md")))
                return text
            except InputError as exc:
                index = (exc.line or 0) - 1 - len(head)
                origin = origins[index] if 0 <= index < len(origins) else None
                if origin is None or origin in self.quiet:
                    raise InputError(f"the draft does not read back: {exc.message}", str(path),
                                     exc.line, exc.column) from None
                self.quiet.add(origin)
        raise InputError("the draft does not read back", str(path))

    def body(self):
        """(the body's lines, what each came from: ("line", n), ("step", i) or None)."""
        unit_of = {n: i for i, unit in enumerate(self.units) for n in unit}
        out, origins, done = [], [], set()
        c = self.counts
        c.statuses, c.read, c.steps, c.unreadable = {s: 0 for s in MARKS}, 0, 0, 0
        for n, line in enumerate(self.lines, start=1):
            if n in unit_of:
                if unit_of[n] not in done:
                    done.add(unit_of[n])
                    self._unit(self.units[unit_of[n]], out, origins)
            elif ("line", n) in self.quiet:
                out += ["$$", _comment(line, n), "$$"]
                origins += [None, None, None]
            else:
                out.append(line)
                origins.append(("line", n))
        c.commented = len(self.quiet)
        return out, origins

    def _unit(self, numbers, out, origins):
        lines = ["$$"] + [_comment(self.lines[n - 1], n) for n in numbers]
        out += lines
        origins += [None] * len(lines)
        steps = [(i, r) for i, r in enumerate(self.results) if r.step.origin[1] in numbers]
        errors = [e for e in dict(self.derivation.extra)["unreadable"] if e[1] in numbers]
        self.counts.read += len({r.step.origin[1] for _, r in steps})
        for i, r in steps:
            v = r.verdict
            note = f"{MARKS[v.status]} {v.status}: {v.method}"
            if v.reason:
                note += f"; {v.reason}"
            if v.counterexample:
                note += "; counterexample: " + ", ".join(f"{k} = {x}" for k, x in
                                                         v.counterexample.items())
            if ("step", i) in self.quiet:
                out.append(_comment(f"read as {r.step.tex}, but it does not read back in the "
                                    "draft", r.step.origin[1]))
                origins.append(None)
            else:
                out.append(f"{r.step.tex}   % {self.justification(r)}")
                origins.append(("step", i))
            out.append(_comment(note, r.step.origin[1]))
            origins.append(None)
            self.counts.steps += 1
            self.counts.statuses[v.status] += 1
        for _, line, col, message in errors:
            out.append(_comment(f"not read: {message} (column {col})", line))
            origins.append(None)
            self.counts.unreadable += 1
        for key, _, _, line in self.reader.names.written:
            if line in numbers:
                out.append(_comment(f"defines {key} (in the front matter above)", line))
                origins.append(None)
        if not steps and not errors and not any(w[3] in numbers for w in self.reader.names.written):
            out.append(_comment("no step here (math without a relation derive checks)", numbers[0]))
            origins.append(None)
        out.append("$$")
        origins.append(None)

    def justification(self, r) -> str:
        """The kind that settled the step (else the hint's, else the relation's default),
        as a derivation file writes it, with the step's conditions."""
        from .printing import RELATION_TEX, TexPrinter
        printer = TexPrinter(self.names)
        m = re.match(r"lemma(?: \(found\))?: (\w+)\(", r.verdict.method)
        if m and r.verdict.status == "cited":
            kind = f"lemma {self._lemma(r, m.group(1), printer)}"
        else:
            found = r.verdict.method.split(":")[0].replace(" (found)", "").strip()
            hint = r.step.why.option("hint")
            kind = found if found in FILE_KINDS else hint if hint in FILE_KINDS else \
                DEFAULT_KIND.get(r.step.rel, "sign")
        conditions = [c for c in r.step.when if c is not True]
        if conditions:
            ops = {"==": "=", "<=": "<=", "<": "<", ">=": ">=", ">": ">"}
            kind += " for " + ", ".join(
                " ".join([printer.doprint(c.lhs), RELATION_TEX.get(ops.get(c.rel_op), "\\ne"),
                          printer.doprint(c.rhs)]) for c in conditions)
        return kind

    def _lemma(self, r, name, printer) -> str:
        from .checks.auto import lemma_instances
        from .printing import text
        for candidate, args in lemma_instances(r.lhs, r.step.rel, r.step.rhs):
            if candidate == name and r.verdict.method.endswith(
                    f": {name}({', '.join(text(a) for a in args)})"):
                return f"{name}({', '.join(printer.doprint(a) for a in args)})"
        return name

    def front_matter(self, path: Path) -> list:
        out = ["---", f"id: {_identifier(path.stem)}"]
        if self.reader.title is None:
            out.append(f"title: \"Draft of {path.name}\"")
        out.append("# derive import: " + self.counts.summary())
        variables = [self.names.get(v.symbol, str(v.symbol)) for v in self.derivation.variables
                     if "@" not in str(v.symbol)]
        if variables:
            out += ["symbols:", "  - " + ", ".join(variables) + " \\in \\mathbb{R}"]
        seen = set(variables)
        written = []
        for key, params, body, _ in self.reader.names.written:
            if key in seen:
                out.append(f"# defined again or also a variable, not declared: {key} = {body}")
                continue
            seen.add(key)
            written.append((key, params, body))
        functions = [w for w in written if w[1] is not None]
        values = [w for w in written if w[1] is None]
        if functions:
            out.append("functions:")
            out += [f"  - {key}({', '.join(params)}) = {body}" for key, params, body in functions]
        if values:
            out.append("define:")
            out += [f"  - {key} = {body}" for key, _, body in values]
        return out + ["---", ""]


def _comment(text: str, line: int) -> str:
    """A `%%` line inside a $$ block; it ends with the scan's line number, so it can never
    end the block (a line ending in $$ would)."""
    return f"%% {' '.join(str(text).split())}   (scan line {line})"


def _identifier(stem: str) -> str:
    out = re.sub(r"[^\w.-]", "-", stem).strip("-.") or "draft"
    return out if out[0].isalnum() else "d" + out


def write_draft(scan: Path, output: Path | None = None):
    """Write the draft next to nothing it could overwrite: (path written, Counts)."""
    from .tex import atomic_write
    scan = Path(scan)
    out = Path(output) if output else Path(f"{scan.stem}.draft.md")
    if out.exists() and out.resolve() == scan.resolve():
        raise InputError("that is the scan being imported; choose another -o", str(out))
    text, counts = draft(scan)
    atomic_write(out, text)
    return out, counts
