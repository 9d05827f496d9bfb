"""The kernel: the only code that says `proved` or `cited`, and only for a certificate it re-checks.

Searchers (derive.checks) may be as clever as they like; they hand the kernel a
certificate (derive.kernel.certificates) and the kernel recomputes everything
else from the step itself: the world the step holds in (its cases), what each
side means, each side condition. See docs/architecture.md for the contract.
"""

from __future__ import annotations

import weakref
from dataclasses import replace

from .. import assumption_order  # noqa: F401 - SymPy's queries in a fixed order from here on
from .. import sympy_guards  # noqa: F401 - SymPy's wrong evaluations off from here on
from ..errors import UnsupportedStep
from ..verdict import Verdict, failed, unknown
from . import certificates as C
from .equalities import Rejected
from .facts import Established, Ledger, lookup  # noqa: F401 - the kernel's vocabulary
from .results import record  # noqa: F401
from .world import World

_CITES = ("instance", "unroll")
_WORLDS: dict = {}


def world_for(derivation, part, step) -> World:
    """The world of a step (its part's and its own conditions), built once per distinct one."""
    conditions = tuple(part.when) + tuple(step.when)
    key = (id(derivation), conditions, part.label)
    hit = _WORLDS.get(key)
    if hit is None or hit[0] is not derivation:
        if len(_WORLDS) > 256:
            _WORLDS.clear()
        _WORLDS[key] = (derivation, World(derivation, conditions, part.label))
    return _WORLDS[key][1]


def decide(derivation, link, ledger, cert, name=None) -> Verdict:
    """Re-check ``cert`` for the step ``link``; `proved`/`cited` if it holds, else why not.

    ``name`` is the word the method is reported under (default: the justification's kind).
    A rejection that disproves the step (a cited fact that is not the step) is `failed`.
    """
    asked, link = link, _exact(link)
    step, lhs = link.step, link.lhs
    kind = name or step.why.kind
    if cert.kind == "implication":
        return _implication(derivation, asked, ledger, cert, name)
    try:
        world = world_for(derivation, link.part, step)
        method, lines = _check(world, kind, step, lhs, ledger, cert)
    except Rejected as r:
        return failed(kind, r.reason) if r.refutes else unknown(kind, r.reason)
    except UnsupportedStep as exc:
        return unknown(kind, str(exc))
    status = "cited" if cert.kind in _CITES else "proved"
    return _issue(Verdict(status, method, certificate=cert, lines=tuple(lines)), asked)


# The verdicts the kernel made, each with the step it was made for: the driver
# passes on a searcher's `proved`/`cited` only if it is one of these, for its step
# (a searcher that builds its own, or returns one made for another step, is not).
_ISSUED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_FOR: dict = {}


def _key(link):
    return (link.lhs, link.step.rel, link.step.rhs, tuple(link.step.when), link.part.label)


def _issue(verdict, link):
    _ISSUED[id(verdict)] = verdict
    _FOR[id(verdict)] = _key(link)
    weakref.finalize(verdict, _FOR.pop, id(verdict), None)
    return verdict


def vouches(verdict, link) -> bool:
    """Whether ``verdict`` is one the kernel made for the step ``link``."""
    return _ISSUED.get(id(verdict)) is verdict and _FOR.get(id(verdict)) == _key(link)


def _exact(link):
    """The step with each decimal as the fraction it is written as (0.1 is 1/10):
    a binary float would make 0.1 + 0.2 > 0.3 true."""
    from sympy import Float, nsimplify

    def exact(e):
        return nsimplify(e, rational=True) if getattr(e, "has", None) and e.has(Float) else e
    step = link.step
    if not any(getattr(e, "has", None) and e.has(Float)
               for e in (link.lhs, step.lhs, step.rhs, *step.when)):
        return link
    step = replace(step, lhs=exact(step.lhs), rhs=exact(step.rhs),
                   when=tuple(exact(w) for w in step.when))
    return replace(link, step=step, lhs=exact(link.lhs))


def _implication(derivation, link, ledger, cert, name):
    """A ⟹ B holds when the kernel accepts ``cert.inner`` for B under A."""
    from .implications import premised
    kind = name or link.step.why.kind
    if link.step.rel != "implies" or not hasattr(cert.inner, "kind") or cert.inner.kind == "implication":
        return unknown(kind, "an implication certificate proves a step A ⟹ B by a proof of B")
    try:
        inner = decide(derivation, premised(link), ledger, cert.inner, name)
    except UnsupportedStep as exc:
        return unknown(kind, str(exc))
    if inner.status not in ("proved", "cited"):
        return inner
    return _issue(Verdict(inner.status, f"{inner.method}, under the premise", certificate=cert,
                          lines=inner.lines), link)


def _check(world, kind, step, lhs, ledger, cert):
    from . import equalities as eq, inequalities as ineq
    rel, rhs = step.rel, step.rhs
    if cert.kind == "zero" and rel == "=":
        return eq.zero(world, kind, lhs, rhs, cert)
    if cert.kind == "root" and rel == "=":
        return eq.root(world, kind, lhs, rhs, cert)
    if cert.kind == "sign" and rel in eq.RELOPS:
        return eq.sign(world, kind, lhs, rel, rhs, cert)
    if cert.kind == "equivalence" and rel == "iff":
        return eq.equivalence(world, kind, lhs, rhs, cert)
    if cert.kind == "threshold" and rel == "iff":
        return eq.threshold(world, kind, lhs, rhs)
    if cert.kind == "sums":
        from .sums import sums
        return sums(world, kind, lhs, rel, rhs, cert)
    # The inequality rules say themselves which relations they prove.
    if cert.kind == "instance":
        return ineq.instance(world, kind, step, lhs, rel, rhs, ledger)
    if cert.kind == "combination":
        return ineq.combination(world, step, lhs, rel, rhs, ledger, cert)
    if cert.kind == "split":
        from .cases import split
        return split(world, step, lhs, rel, rhs, ledger, cert)
    if cert.kind == "monotone":
        return ineq.monotone(world, step, lhs, rel, rhs, ledger, cert)
    if cert.kind == "unroll":
        return ineq.unroll(world, step, lhs, rel, rhs, ledger)
    raise Rejected(f"a {cert.kind} certificate does not prove a step with {rel!r}")


def establish(derivation, link, ledger, verdict) -> Verdict:
    """Record the result a step states, if its verdict was the kernel's and it states it."""
    from .results import establishes, record
    step = link.step
    name = step.why.establishes
    if not name or verdict.status not in ("proved", "cited") or verdict.certificate is None:
        return verdict
    if tuple(link.part.when) + tuple(step.when):
        # A result is cited later for any arguments: it cannot rest on a case.
        return unknown(step.why.kind, f"{name} is stated under a case condition; "
                                      "a citable result must hold without one")
    problem = establishes(world_for(derivation, link.part, step), step, link.lhs)   # no conditions: ()
    if problem:
        return unknown(step.why.kind, problem)
    record(ledger, step, link.part.label)
    return verdict


class Walk:
    """The ledger along a derivation: feed each link before and after it is checked.

    A chain that ends with every link proved or cited becomes ``above`` for the
    next chain of its part; only proofs carry forward (a sampled link proves nothing).
    """

    def __init__(self):
        self.ledger = Ledger()
        self._part = None
        self._chain = None            # [first lhs, [relations], last rhs, all ok, conditions]

    def before(self, link):
        if link.part is not self._part:
            self._part, self._chain, self.ledger.above = link.part, None, None
            self.ledger.above_conditions = ()
        if link.starts_chain and self._chain is not None:
            self.ledger.above = _composite(self._chain)
            self.ledger.above_conditions = tuple(self._chain[4])

    def after(self, link, verdict):
        if link.starts_chain or self._chain is None:
            self._chain = [link.lhs, [], None, True, []]
        chain = self._chain
        chain[1].append(link.step.rel)
        conditions = tuple(link.part.when) + tuple(link.step.when)
        chain[4].extend(c for c in conditions if c not in chain[4])
        chain[2] = link.step.rhs
        chain[3] = chain[3] and verdict.status in ("proved", "cited") and verdict.certificate is not None


def _composite(chain):
    """The relation a finished chain proves, or None if a link of it is not a proof."""
    from sympy import Eq, Ge, Gt, Le, Lt
    from ..model import ChainError, compose
    first, rels, last, ok, _ = chain
    if not ok or "iff" in rels or "implies" in rels:
        return None
    try:
        rel = compose(rels)
    except ChainError:
        return None
    return {"=": Eq, "<=": Le, "<": Lt, ">=": Ge, ">": Gt}[rel](first, last, evaluate=False)


def recheck(derivation, verdicts) -> list:
    """Re-run only the kernel over ``verdicts`` (one per step, e.g. from the cache).

    A `proved` or `cited` verdict whose certificate the kernel does not accept
    (or that has none) becomes `unknown`, saying so; other verdicts are kept.
    """
    from .codec import from_json, symbol_table
    walk, out = Walk(), []
    for link, verdict in zip(derivation.links(), verdicts):
        walk.before(link)
        if verdict.status in ("proved", "cited"):
            verdict = _recheck_one(derivation, link, walk.ledger, verdict, from_json, symbol_table)
            verdict = establish(derivation, link, walk.ledger, verdict)
        walk.after(link, verdict)
        out.append(verdict)
    return out


def _recheck_one(derivation, link, ledger, verdict, from_json, symbol_table):
    from ..expressions import rebuild
    from .facts import instances
    cert = verdict.certificate
    kind = link.step.why.kind
    if isinstance(cert, dict):
        try:
            world = world_for(derivation, link.part, link.step)
            facts = instances(world, link.step, ledger)
        except Exception:   # noqa: BLE001 - only names for decoding; decide() checks the step
            facts = []
        exprs = [link.lhs, link.step.rhs, *[f.relation for f in facts], *derivation.assumptions,
                 *[v.symbol for v in derivation.variables]]
        try:
            world = world_for(derivation, link.part, link.step)
            exprs += [rebuild(world.expand_defs(e)) for e in (link.lhs, link.step.rhs) if e is not None]
        except Exception:   # noqa: BLE001 - as above
            pass
        try:
            cert = from_json(cert, symbol_table(*exprs))
        except (ValueError, TypeError) as exc:
            return unknown(kind, f"the kernel refused the stored certificate: {exc}")
    if not hasattr(cert, "kind"):
        return unknown(kind, f"a {verdict.status} verdict without a certificate the kernel can check")
    again = decide(derivation, link, ledger, cert, name=verdict.method.split(":")[0] or None)
    if again.status != verdict.status:
        return unknown(kind, f"the kernel rejected the certificate: {again.reason or again.status}")
    return again


__all__ = ["C", "Ledger", "Walk", "World", "decide", "establish", "lookup", "recheck", "record",
           "world_for"]
