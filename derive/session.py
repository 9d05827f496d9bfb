"""The pipeline, stated once: targets → sources read once → cached or fresh verdicts → reports.

Every front end (``derive check``, ``derive render``; later watch, serve,
Jupyter, pytest) goes through ``check``::

    from derive.session import check
    run = check(["q6", "notes.md"], cache=True, jobs=None, timeout=None, build=False)
    run.reports      # [derive.report.Report] in target order: id, title, kind, source,
                     #   cached, steps = (StepRecord: part, index, text, latex, relation,
                     #   justification, verdict, conditions, file, line, column), ...)
    run.counts       # {status: n} over every step
    run.ok(strict)   # no step failed or unknown (strict: every step proved or cited)
    run.cached       # every verdict came from the cache

``build=True`` also gives each report its ``derivation`` and ``results``
(StepResults, the expressions render needs); a cached report is then
reattached to a derivation built from the same bytes. Targets are ids, ``all``,
paths, or Derivation objects (checked, never cached). Input errors raise
derive.errors.InputError; a wrong or unsettled step is a verdict, never an error.

What holds it together:

- Each source file is read once: its cache key and its derivation come from the
  same bytes, so verdicts are filed under the content that was checked, even if
  an editor saves the file mid-run.
- The cache (derive.cache) keeps verdicts (Verdict.to_json) and the records
  needed to show them, never formatted lines; entries are private, sealed, and
  validated on load: anything malformed is ignored and checked again. A verdict
  set with an ``unknown`` is never stored (it may be a budget cut short).
  ``cache=False`` bypasses every cache, the LaTeX-reading one included.
- Reading and checking run under a memory cap per process and an optional
  wall-clock ``timeout`` (derive.runtime): a runaway step ends ``unknown`` and
  the run goes on; after the deadline no step starts.
- ``progress(names, totals)``, if given, is a context manager entered while
  checking; it may poll ``derive.runtime.done()`` for steps done per derivation.
- ``recheck(targets)`` re-runs only the kernel over cached certificates.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from . import cache as caches
from . import runtime, targets as targeting
from .errors import DeriveError, InputError
from .report import Report, counts, exit_ok


@dataclass
class Run:
    """The reports of one run, in target order, and how long it took (wall clock)."""

    reports: list
    seconds: float = 0.0
    rechecked: bool = False       # the kernel re-checked cached certificates (--recheck)
    errors: list = field(default_factory=list)    # InputErrors of sources left out (keep_going)

    @property
    def counts(self) -> dict:
        return counts(self.reports)

    @property
    def cached(self) -> bool:
        return bool(self.reports) and all(r.cached for r in self.reports)

    def ok(self, strict: bool = False) -> bool:
        return exit_ok(self.reports, strict)


class RecheckUnavailable(DeriveError):
    """``--recheck`` asked for, but the kernel that re-checks certificates is not built."""


@dataclass
class _Item:
    source: object                # targets.Source, or a Derivation given directly
    data: bytes | None = None
    key: str | None = None
    report: Report | None = None
    derivation: object = None
    broken: bool = False          # did not read: its input error is in Run.errors


def check(targets, *, cache=True, jobs=None, timeout=None, build=False, progress=None,
          keep_going=False) -> Run:
    """Check ``targets``: cached verdicts where the exact bytes were checked before.
    ``keep_going``: with several sources, one that does not read is left out and its error
    kept in ``Run.errors`` (the others are checked); otherwise its error is raised."""
    start = time.monotonic()
    errors = []

    def load(item):
        try:
            return _load(item)
        except InputError as exc:
            if not keep_going:
                raise
            errors.append(exc)
            item.broken = True
            return None

    with caches.bypassed(not cache), runtime.deadline(timeout), runtime.memory_cap():
        store = caches.VerdictCache()
        store = store if store.usable else None
        items = [_read(s, store) for s in targeting.plan(targets)]
        keep_going = keep_going and len(items) > 1     # one source: its error is the answer
        fresh = [i for i in items if i.report is None]
        if not build:
            _check_files(fresh, jobs, progress, load)
        for item in items:
            if (item.report is None or build) and not item.broken:
                item.derivation = load(item)
            if item.report is not None and build:
                item.report = _attach(item.report, item.derivation)
        _check_items([i for i in items if i.report is None and not i.broken], jobs, progress)
        for item in fresh:
            if store and item.key and item.report and "unknown" not in item.report.statuses:
                store.put(item.key, item.report.to_entry())
    return Run([i.report for i in items if not i.broken], time.monotonic() - start,
               errors=errors)


def _read(source, store) -> _Item:
    item = _Item(source)
    if not isinstance(source, targeting.Source):
        return item
    item.data = targeting.read(source)
    if store is not None and targeting.cacheable(source, item.data):
        item.key = store.key(source.path, item.data)
        entry = store.get(item.key)
        if entry is not None:
            try:
                item.report = Report.from_entry(entry)
            except (ValueError, TypeError, RecursionError):
                item.report = None       # not what we write: check again, store afresh
    return item


def _load(item):
    try:
        return targeting.load(item.source, item.data)
    except MemoryError:
        raise InputError(f"reading it needed more than the memory cap "
                         f"({runtime.memory_cap_bytes() / 2**30:.1f} GiB)",
                         str(getattr(item.source, "path", ""))) from None


def _attach(cached: Report, derivation) -> Report | None:
    """The cached report with the built derivation's StepResults, or None if they differ."""
    from .checks.parallel import rebuild_results
    if sum(len(p.steps) for p in derivation.parts) != len(cached.steps):
        return None
    results = rebuild_results(derivation, [s.verdict for s in cached.steps])
    return replace(cached, derivation=derivation, results=tuple(results))


def _check_files(todo, jobs, progress, load) -> None:
    """Several sources, none needed as a model afterwards: forked workers each read,
    check and report whole sources, so reading runs on every core too. A source that
    does not read is read again here, in target order, to raise its error. Left to
    _check_items (reading here, parts of one file spread): a single source, or one
    that dominates the rest."""
    if not todo:
        return                   # a warm run never imports the checks (nor SymPy)
    from .checks import parallel
    sources = [i for i in todo if isinstance(i.source, targeting.Source)]
    sizes = [len(i.data or b"") for i in sources]
    workers = min(parallel.cores(jobs), len(sources))
    if workers < 2 or max(sizes) * workers > 2 * sum(sizes):
        return
    from .report import report

    def work(item):
        try:
            derivation = _load(item)
        except DeriveError:
            return None
        runtime.count_as(derivation, item, 0)
        runtime.set_total(item, sum(len(p.steps) for p in derivation.parts))
        [(_, results)] = parallel.check_all([derivation], jobs=1)
        return report(derivation, results).to_entry()

    from . import printing  # noqa: F401 - imported once here, inherited by every worker
    if any(i.source.kind == "file" for i in sources):
        # The readers of derivation files (~45 ms): not for solutions built in Python or prose.
        from .source import document, format  # noqa: F401
    parallel.warm()
    names = [i.source.name for i in sources]
    with runtime.tally(sources), (progress(names, None) if progress else nullcontext()):
        entries = parallel.run(sources, work, jobs, size=lambda i: len(i.data or b""))
    for item, entry in zip(sources, entries):
        if entry is None:
            item.derivation = load(item)          # raises its input error, or keeps it
            continue
        fresh = Report.from_entry(entry)
        item.report = replace(fresh, cached=False, steps=tuple(
            replace(s, verdict=replace(s.verdict, cached=False)) for s in fresh.steps))


def _check_items(todo, jobs, progress) -> None:
    if not todo:
        return                   # a warm run never imports the checks (nor SymPy)
    from .checks import parallel
    from .report import report
    derivations = [i.derivation for i in todo]
    names = [d.id for d in derivations]
    totals = [sum(len(p.steps) for p in d.parts) for d in derivations]
    with runtime.tally(derivations), (progress(names, totals) if progress else nullcontext()):
        checked = parallel.check_all(derivations, jobs=jobs)
    for item, (derivation, results) in zip(todo, checked):
        item.report = report(derivation, results)


def recheck(targets) -> Run:
    """Re-run only the kernel over the cached certificates of ``targets`` (no search)."""
    kernel = _kernel_recheck()
    start = time.monotonic()
    store = caches.VerdictCache()
    if not store.usable:
        raise InputError("--recheck reads the verdict cache, which is off or unusable here")
    from .checks.parallel import rebuild_results
    from .report import report
    out = []
    for source in targeting.plan(targets):
        item = _read(source, store)
        if not isinstance(source, targeting.Source) or item.report is None:
            name = getattr(source, "name", getattr(source, "id", "?"))
            raise InputError(f"no cached verdicts for {name} as it is now: "
                             f"run `derive check {name}` first (a file with an unknown step "
                             "is never cached, so it cannot be re-checked)")
        derivation = _load(item)
        verdicts = [s.verdict for s in item.report.steps]
        if sum(len(p.steps) for p in derivation.parts) != len(verdicts):
            raise InputError(f"the cached verdicts for {source.name} do not match its steps")
        fresh = _kernel_verdicts(kernel, derivation, verdicts)
        out.append(report(derivation, rebuild_results(derivation, fresh)))
    return Run(out, time.monotonic() - start, rechecked=True)


def _kernel_verdicts(kernel, derivation, verdicts) -> list:
    """The kernel's verdicts; if it cannot run at all, no proof stands (never a traceback)."""
    from .budget import Timeout, time_limit
    from .checks import STEP_BUDGET
    from .verdict import unknown
    try:
        with time_limit(STEP_BUDGET * max(1, len(verdicts))):
            fresh = list(kernel(derivation, verdicts))
        if len(fresh) == len(verdicts):
            return fresh
        problem = "the kernel answered for a different number of steps"
    except Timeout:
        problem = "the kernel's re-check ran over its budget"
    except Exception as exc:  # noqa: BLE001 - a re-check that fails proves nothing
        problem = f"the kernel could not re-check it ({type(exc).__name__}: {exc})"[:300]
    return [unknown(v.method, problem) if v.status in ("proved", "cited") else v for v in verdicts]


def _kernel_recheck():
    try:
        from .kernel import recheck as kernel_recheck
    except ImportError:
        raise RecheckUnavailable("--recheck is not available yet: it needs the kernel that "
                                 "re-checks certificates (derive.kernel.recheck)") from None
    return kernel_recheck
