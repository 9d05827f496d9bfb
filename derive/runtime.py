"""A running check's shared limits and tallies: its deadline, its memory cap, steps done.

The step loop asks ``out_of_time()`` before each step and calls ``step_done``
after it; forked workers inherit all of this (the tally lives in shared
memory, one slot per derivation, so the parent can show progress).
"""

from __future__ import annotations

import mmap
import os
import struct
import time
from contextlib import contextmanager

OUT_OF_TIME = "not checked: the run's --timeout ran out before this step"
OVER_MEMORY = "over the memory cap of a checking process ({:.1f} GiB); the run went on"

_deadline: list = [None]       # time.monotonic() after which no step starts
_tally: list = [None, {}, 0]   # the shared mmap, id(derivation) -> slot, the number of slots
_cap: list = [0]               # bytes of address space a checking process may use
_checking: list = [False]      # inside memory_cap: forked workers must not outlive us


def out_of_time() -> bool:
    return _deadline[0] is not None and time.monotonic() >= _deadline[0]


def step_done(derivation, steps: int) -> None:
    """``steps`` of ``derivation`` are done (called by whichever process checks it)."""
    shared, slots, _ = _tally
    slot = slots.get(id(derivation))
    if shared is not None and slot is not None:
        if isinstance(slot, tuple):      # a run of a derivation's parts (see count_as)
            slot, offset = slot
            steps = max(offset + steps, struct.unpack_from("q", shared, 8 * slot)[0])
        struct.pack_into("q", shared, 8 * slot, steps)


def count_as(piece, derivation, offset: int) -> None:
    """Steps of ``piece`` (some of ``derivation``'s parts, checked on their own, after
    ``offset`` steps) count for ``derivation``; pieces checked at once show the furthest."""
    shared, slots, _ = _tally
    slot = slots.get(id(derivation))
    if shared is not None and isinstance(slot, int):
        slots[id(piece)] = (slot, offset)


def set_total(key, steps: int) -> None:
    """``key`` (as given to ``tally``) has ``steps`` steps: for sources read by workers,
    whose totals the parent learns only as they are read."""
    shared, slots, n = _tally
    slot = slots.get(id(key))
    if shared is not None and isinstance(slot, int):
        struct.pack_into("q", shared, 8 * (n + slot), steps)


def done() -> list:
    """Steps done per derivation of the current tally, in the order given to ``tally``."""
    shared, _, n = _tally
    if shared is None:
        return []
    return [struct.unpack_from("q", shared, 8 * i)[0] for i in range(n)]


def totals() -> list:
    """The totals ``set_total`` reported, in the order given to ``tally`` (0: not yet read)."""
    shared, _, n = _tally
    if shared is None:
        return []
    return [struct.unpack_from("q", shared, 8 * (n + i))[0] for i in range(n)]


@contextmanager
def tally(derivations):
    """Count steps done per derivation in memory shared with forked workers."""
    shared = mmap.mmap(-1, 16 * max(1, len(derivations)))     # steps done, then totals
    before = list(_tally)
    _tally[:] = [shared, {id(d): i for i, d in enumerate(derivations)}, len(derivations)]
    try:
        yield
    finally:
        _tally[:] = before
        shared.close()


@contextmanager
def deadline(seconds: float | None):
    """No step starts ``seconds`` of wall time from now (None: no deadline)."""
    before = _deadline[0]
    if seconds is not None:
        _deadline[0] = time.monotonic() + seconds
    try:
        yield
    finally:
        _deadline[0] = before


def memory_cap_bytes() -> int:
    """How much more address space a checking process may take: DERIVE_MEMORY_MB, or by
    default a share of the machine's memory between 1 and 4 GiB."""
    given = os.environ.get("DERIVE_MEMORY_MB", "")
    if given.isdigit() and int(given) > 0:
        return int(given) * 2**20
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 8 * 2**30
    workers = min(os.cpu_count() or 1, 4) + 1
    return max(2**30, min(4 * 2**30, physical // workers))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _orphan_guard() -> None:
    """In a forked checking worker: die with the parent (Linux), never outlive it."""
    if _checking[0]:
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, 9)     # PR_SET_PDEATHSIG, SIGKILL
        except (OSError, AttributeError):
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_orphan_guard)


def over_memory_reason() -> str:
    if not _cap[0]:
        return "ran out of memory; the run went on"
    return OVER_MEMORY.format(_cap[0] / 2**30)


@contextmanager
def memory_cap(extra: int | None = None):
    """Cap this process's address space (and its forked workers') at its size now plus
    ``extra`` bytes, so a runaway step raises MemoryError instead of taking the machine
    down; the previous limit is back afterwards (TeX is started later, uncapped)."""
    before_checking, _checking[0] = _checking[0], True
    try:
        with _capped(extra):
            yield
    finally:
        _checking[0] = before_checking


@contextmanager
def _capped(extra):
    try:
        import resource
    except ImportError:              # not POSIX: no cap
        resource = None
    applied = None
    if resource is not None:
        extra = memory_cap_bytes() if extra is None else extra
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        # An existing cap tighter than ours stays as it is.
        if soft == resource.RLIM_INFINITY or soft > limit:
            try:
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
                applied = (soft, hard)
            except (ValueError, OSError):
                pass
    before = _cap[0]
    if applied:
        _cap[0] = extra
    try:
        yield
    finally:
        _cap[0] = before
        if applied:
            resource.setrlimit(resource.RLIMIT_AS, applied)
