"""The body of a derivation file: ## headings open parts, $$ blocks go to the steps, prose to intros and notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..typeset import text_problem
from .text import Text

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
CONDITION = re.compile(r"^%\s*(for|where|when|if)\s")
PART_LABEL = re.compile(r"^(?:part\s+)?\(?([a-z]|[ivx]+|\d+)\)[.:]?\s*(.*)$", re.I)


@dataclass
class PendingPart:
    label: str
    title: str
    line: int
    intro: list = field(default_factory=list)
    when: tuple = ()
    steps: list = field(default_factory=list)
    outro: list = field(default_factory=list)
    step_when: tuple = ()        # a `% for …` directive after the first step


class Layout:
    """Reader methods that walk the body after the front matter (mixed into format's Reader)."""

    def body(self, start: int):
        lines = self.lines[start:]
        i = 0
        while i < len(lines):
            number, line = lines[i]
            stripped = line.strip()
            indent = len(line) - len(line.lstrip())
            opener = "$$" if stripped.startswith("$$") else "\\[" if stripped.startswith("\\[") else None
            heading = HEADING.match(line) if not opener else None
            if opener:
                closer = "$$" if opener == "$$" else "\\]"
                self.flush("block")
                first = Text.at(line, number, 1)[indent + 2:]
                block = []
                rest = first.s.rstrip()
                if rest.endswith(closer) and len(rest.strip()) >= len(closer):
                    block.append(first[:len(rest) - len(closer)])
                    i += 1
                else:
                    if rest.strip():
                        block.append(first)
                    i += 1
                    while True:
                        if i >= len(lines):
                            self.where.error(f"this {opener} block is never closed: expected {closer}",
                                             Text.at(line, number, indent + 1))
                        n2, l2 = lines[i]
                        t2 = Text.at(l2, n2, 1)
                        s2 = l2.rstrip()
                        i += 1
                        if s2.endswith(closer):
                            block.append(t2[:len(s2) - len(closer)])
                            break
                        block.append(t2)
                self.math_block(block, number)
                continue
            if heading:
                self.flush("heading")
                level = len(heading.group(1))
                title_text = Text.at(line, number, 1)[heading.start(2):heading.end(2)]
                if level == 1 and not self.parts and self.heading_title is None:
                    self.heading_title = title_text
                else:
                    self.new_part(title_text, number)
                i += 1
                continue
            if self.parts and CONDITION.match(stripped):
                # `% for n ≥ 2` between blocks means what it means inside one: taken as
                # prose it was a condition silently lost (its steps sampled at n = 1).
                self.flush("block")
                self.directive(self.parts[-1], Text.at(line, number, 1)[indent + 1:])
                i += 1
                continue
            self.prose.append(Text.at(line, number, 1))
            i += 1
        self.flush("end")

    def new_part(self, title: Text, line: int):
        self._check_prose(title, title=True)
        m = PART_LABEL.match(title.s)
        if m:
            label, text = m.group(1).lower(), m.group(2)
        else:
            label, text = "abcdefghijklmnopqrstuvwxyz"[len(self.parts) % 26], title.s
        self.parts.append(PendingPart(label, text.strip(), line))

    def flush(self, next_kind: str):
        """Give the prose collected so far to what precedes it."""
        text = self._prose_text()
        if not text:
            return
        part = self.parts[-1] if self.parts else None
        if part is None:
            self.intro.append(text)
        elif not part.steps:
            part.intro.append(text)
        elif next_kind == "block":
            step = part.steps[-1]
            step.note = (step.note + "\n\n" + text).strip()
        else:
            part.outro.append(text)

    def _prose_text(self) -> str:
        lines, self.prose = self.prose, []
        for line in lines:
            self._check_prose(line)
        return "\n".join(t.s for t in lines).strip()

    def _check_prose(self, line: Text, title: bool = False):
        # Read as the renderer reads it (\$ is a dollar sign, not math); the whole
        # derivation is checked again once built (typeset.validate: paragraphs, \eqref).
        problem = text_problem(line.s, title=title)
        if problem:
            self.where.error(problem[1], line, problem[0])
