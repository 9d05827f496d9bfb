"""Question 4: every step proved or cited, wrong variants of every step rejected, the seed's slip caught."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sympy import Eq, Ge, Le, S, cancel, exp, expand, log, sqrt

from derive.build import use, why
from derive.checks import check_derivation
from derive.expressions import rebuild
from derive.kernel import Ledger, World
from derive.model import Link
from derive.model import ChainError, Schema, Step, Var
from derive.notation import ZERO, Inner, VectorSymbol, grad_at, norm_sq, value_at
from derive.catalog import load

Q4 = load("q4")


def _index(derivation):
    """{"a.1": (part number, step number in the part)}, numbered as `derive check` does."""
    out, n = {}, 0
    for i, part in enumerate(derivation.parts):
        for j, _ in enumerate(part.steps):
            n += 1
            out[f"{part.label}.{n}"] = (i, j)
    return out


STEPS = _index(Q4)
SYM = {str(v.symbol): v.symbol for v in Q4.variables} | {str(k): k for k, _ in Q4.definitions}
mu, L, lam, eps, t = (SYM[n] for n in ("μ", "L", "λ", "ε", "t"))
Lstar, ydag, Qy, Qdag, Qstar, wnext, Delta, T = (
    SYM[n] for n in ("ℒ*", "y†", "Q(y)", "Q(y†)", "Q(w*)", "w_{t + 1}", "Δ", "T"))
x, y, wstar, wlam = (VectorSymbol(n) for n in ("x", "y", "w*", "w_λ"))


def w(k):
    return VectorSymbol(f"w_{{{k}}}")


def Lv(p):
    return value_at("ℒ", p)


def Llam(p):
    return value_at("ℒ_λ", p)      # the same symbol as the definition ℒ_λ(p)


g, gt, gstar = grad_at("ℒ", x), grad_at("ℒ", w("t")), grad_at("ℒ", wstar)
W = norm_sq(wstar)
RATE = exp(-t * lam / (L + lam))
SLIP = exp(-t * lam / L)            # the scan's rate: needs ℒ_λ to be L-smooth


def _copy(ledger):
    return Ledger(ledger.above, ledger.above_conditions, dict(ledger.established))


def _check_recording_envs(derivation):
    """check_derivation, and the ledger each step was checked with (by id of the step)."""
    import derive.checks.driver as driver
    envs = {}
    original = driver.check_step

    def record(derivation, link, ledger=None):
        envs[id(link.step)] = (link.index, _copy(ledger))
        return original(derivation, link, ledger)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(driver, "check_step", record)
        results = driver.check_derivation(derivation)
    return results, envs


RESULTS, ENVS = _check_recording_envs(Q4)


@pytest.fixture(scope="module")
def results():
    return {f"{r.part.label}.{r.index}": r for r in RESULTS}


def step_of(sid):
    i, j = STEPS[sid]
    return Q4.parts[i].steps[j]


def _cut(derivation, sid, new):
    """The derivation up to step ``sid``, which is replaced by ``new``; nothing after it."""
    i, j = STEPS[sid]
    part = derivation.parts[i]
    part = replace(part, steps=part.steps[:j] + (new,))
    return replace(derivation, parts=derivation.parts[:i] + (part,)), part


def run(sid, mutate_step=None, mutate_derivation=None):
    """The verdict of step ``sid`` after mutating it (and/or the derivation).

    A mutated step is checked in Q4's world with the env (`above`, the results
    established so far) that `check_derivation` built for the original step,
    then its stated result, if any, is recorded as `check_derivation` does. A
    mutated derivation is cut after the step and checked from the start.
    """
    if mutate_derivation:
        return run_from_start(sid, mutate_step, mutate_derivation)
    from derive.checks import check_step
    step = step_of(sid)
    new = mutate_step(step) if mutate_step else step
    assert (new.lhs is None) == (step.lhs is None), "a mutant keeps its place in the chain"
    i, j = STEPS[sid]
    part = Q4.parts[i]
    lhs = new.lhs if new.lhs is not None else part.steps[j - 1].rhs
    index, ledger = ENVS[id(step)]
    return check_step(Q4, Link(part, index, new, lhs), _copy(ledger))


def run_from_start(sid, mutate_step=None, mutate_derivation=None):
    """The same verdict, through `check_derivation` on the cut derivation (slower)."""
    step = step_of(sid)
    new = mutate_step(step) if mutate_step else step
    derivation = mutate_derivation(Q4) if mutate_derivation else Q4
    cut, _ = _cut(derivation, sid, new)
    last = check_derivation(cut)[-1]
    assert last.step is new and f"{last.part.label}.{last.index}" == sid
    return last.verdict


# -- every step is proved or cited --------------------------------------------

CITED = {"a.1": "hypothesis", "a.4": "hypothesis", "b.10": "hypothesis", "b.15": "lemma",
         "c.18": "hypothesis", "c.19": "hypothesis", "c.21": "hypothesis", "d.24": "result"}
EQUALITY = {"a.2", "a.3", "a.5", "a.7", "a.8", "b.11", "b.12", "c.22", "d.28", "e.30", "e.32", "e.33"}


def test_q4_has_33_steps_numbered_like_the_cli(results):
    assert list(results) == list(STEPS)
    assert len(STEPS) == 33


@pytest.mark.parametrize("sid", list(STEPS))
def test_step_status(sid, results):
    v = results[sid].verdict
    step = step_of(sid)
    if sid in CITED:
        assert v.status == "cited", (v.status, v.method, v.reason)
        kind = CITED[sid]
        assert v.method.startswith(f"{kind}: "), v.method
        assert step.why.kind in (kind, "unroll")
        if kind == "lemma":
            assert v.lines[-1] == "by induction on t: r(t) ≤ qᵗ·r(0)"
        else:
            assert v.lines[0].startswith("instance of ")
    else:
        assert v.status == "proved", (v.status, v.method, v.reason)
        if sid not in EQUALITY:
            # A proved inequality shows its evidence.
            assert step.why.kind in ("combination", "monotone")
            assert v.certificate.kind in ("combination", "monotone") and v.lines
    assert v.counterexample is None


@pytest.mark.parametrize("sid", [s for s, k in CITED.items() if k != "lemma"])
def test_cited_step_is_literally_the_instance(sid, results):
    """Re-check the citation independently: definitions expanded, the step's and
    the instance's gaps (larger side minus smaller) are the same polynomial."""
    r = results[sid]
    (u,) = r.step.why.uses
    inst = Q4.schema(u.name).instance(*u.args)
    ctx = World(Q4, ())
    big, small = (r.step.rhs, r.lhs) if r.step.rel in ("<=", "<") else (r.lhs, r.step.rhs)
    ibig, ismall = (inst.rhs, inst.lhs) if isinstance(inst, Le) else (inst.lhs, inst.rhs)

    def flat(e):
        return expand(rebuild(ctx.expand_defs(rebuild(e))))

    assert cancel(flat(big - small) - flat(ibig - ismall)) == 0


# -- wrong variants -----------------------------------------------------------
# A mutant transforms the step (or the derivation around it); its verdict must be
# failed or unknown, never proved, cited or checked, and carry a reason. The
# pattern pins the reason: a failed citation names the residual it found.

def rhs(f):
    return lambda s: replace(s, rhs=f(s.rhs))


def to(expr):
    return lambda s: replace(s, rhs=expr)


def rel(r):
    return lambda s: replace(s, rel=r)


def uses(*u):
    return lambda s: replace(s, why=replace(s.why, uses=tuple(u)))


def options(**kw):
    named = {k: kw.pop(k) for k in ("establishes", "at") if k in kw}
    return lambda s: replace(s, why=replace(s.why, options=tuple(sorted(
        (dict(s.why.options) | kw).items(), key=lambda kv: kv[0])), **named))


def when(*conds):
    return lambda s: replace(s, when=tuple(conds))


def both(*fs):
    def go(s):
        for f in fs:
            s = f(s)
        return s
    return go


def no_assumptions(d):
    """L ≥ μ dropped: 1 − μ/L may be negative."""
    return replace(d, assumptions=())


def unbounded(symbol):
    """The variable's interval widened to all of ℝ (its sign no longer known)."""
    return lambda d: replace(d, variables=tuple(
        Var(v.symbol) if v.symbol == symbol else v for v in d.variables))


def unestablished(sid):
    """Step ``sid`` no longer states its result (its ``establishes`` option removed)."""
    def go(d):
        i, j = STEPS[sid]
        part = d.parts[i]
        s = part.steps[j]
        s = replace(s, why=replace(s.why, establishes="", at=()))
        parts = list(d.parts)
        parts[i] = replace(part, steps=part.steps[:j] + (s,) + part.steps[j + 1:])
        return replace(d, parts=tuple(parts))
    return go


def differ_by(*terms):
    """A wrong citation names its residual: the step and the instance differ by a
    sum with these terms (in any order)."""
    return r"^(failed|unknown): not an instance of .* differ by " + "".join(
        f"(?=.*{re.escape(term)})" for term in terms)


# A step that is not the instance is not thereby false: failed only with a witness, else unknown.
DIFFER_CITE = r"^(failed|unknown): not an instance of .*: the step and the instance differ by \S"
WEAK = r"^(failed|unknown): .* gives a weak inequality; the step claims a strict one"
# An equation condition sampling cannot follow (∇ℒ(w*) = 0, λ = ε/‖w*‖²) keeps a
# sampled difference from counting as a counterexample: those end unknown, with the residual.
DIFFER_EQ = (r"^failed: .*(the two sides differ|the residual \S.* is provably)"
             r"|^unknown: no symbolic proof \(residual \S")
NOT_PSD = r"^unknown: .*(not positive semidefinite|pivot .* is not provably [>≥] 0)"
NO_COMBO = r"^unknown: no combination of the facts cancels the function values"
# With no facts at all the function values cannot cancel; the reason names them.
NO_FACTS = r"^unknown: no facts are named, and the function values do not cancel \(.*ℒ\("
NEG_MULT = r"^unknown: .*would need the multiplier .*, (not provably ≥ 0|which may be undefined)"
NOT_STATED = r"^unknown: the step does not state "
STRICT = r"^unknown: a strict inequality needs a strict fact or a positive remainder"
MONO = r"^unknown: cannot show .* ≤ .*"
MONO_NO_FACTS = r"^unknown: cannot show .* ≤ .*: no facts are named, and the function values do not cancel \("
# A premise that does not fit is no disproof: with q = 1 − L/μ the step itself is true.
PREMISE = r"^unknown: the premise contraction\(k\) is not r\(k\+1\) ≤ q·r\(k\): it differs by \S"
# Not refuted either: at t = 0 the claim (1 − L/μ)⁰·Δ is r(0) itself, which no witness breaks.
NOT_UNROLLED = r"^unknown: the step is not r\(t\) ≤ qᵗ·r\(0\), nor provably weaker: it differs by \S"
NOT_YET = r"^unknown: uses '.*', which no step above established"
# Refuted by a quadratic witness that meets every hypothesis, w_λ at the minimiser of ℒ_λ
# (checks/minimisers.py: before it, 'minimum of ℒ_λ' held for no draw and these were unknown).
BY_WITNESS = r"; and a function that satisfies every hypothesis breaks the step$"
CITE_WITNESS = (r"^failed: (not an instance of .*: the step and the instance differ by \S.*"
                r"|.* gives a weak inequality; the step claims a strict one)" + BY_WITNESS)
NO_COMBO_WITNESS = r"^failed: no combination of the facts cancels the function values .*" + BY_WITNESS
MONO_WITNESS = r"^failed: cannot show .* ≤ .*" + BY_WITNESS
BASE_BROKEN = (r"^failed: the step is not r\(t\) ≤ qᵗ·r\(0\), nor provably weaker: it differs by \S.*; "
               r"and at t = 0 the step breaks for a function that satisfies every hypothesis$")

MUTANTS = [
    # (a) strong convexity ⇒ PL
    ("a.1", "reversed inequality", rel("<="), CITE_WITNESS),
    ("a.1", "strict inequality from a weak hypothesis", rel(">"), CITE_WITNESS),
    ("a.1", "points swapped in the citation", uses(use("strong convexity", y, x)), DIFFER_CITE),
    ("a.1", "L instead of μ in the quadratic term",
     to(Lv(x) + Inner(g, y - x) + L / 2 * norm_sq(y - x)),
     differ_by("L·⟨x, y⟩", "L·‖x‖²/2", "μ·‖y‖²/2")),
    ("a.1", "dropped square (‖y − x‖ for ‖y − x‖²)",
     to(Lv(x) + Inner(g, y - x) + mu / 2 * sqrt(norm_sq(y - x))), DIFFER_CITE),
    ("a.1", "cites smoothness instead", uses(use("smoothness", y, x)), DIFFER_CITE),
    ("a.2", "μ/2 became μ", to(Qdag + mu * norm_sq(y - ydag)), DIFFER_EQ),
    ("a.2", "μ/2 became 1/(2μ)", to(Qdag + norm_sq(y - ydag) / (2 * mu)), DIFFER_EQ),
    ("a.2", "sign of the square flipped", to(Qdag - mu / 2 * norm_sq(y - ydag)), DIFFER_EQ),
    ("a.3", "ℒ* = ℒ(w_λ)", to(Lv(wlam)), DIFFER_EQ),
    ("a.3", "ℒ* = ℒ(x)", to(Lv(x)), DIFFER_EQ),
    ("a.4", "reversed inequality", rel("<="), CITE_WITNESS),
    ("a.4", "points swapped in the citation", uses(use("strong convexity", wstar, x)), DIFFER_CITE),
    ("a.4", "cites smoothness instead", uses(use("smoothness", wstar, x)), DIFFER_CITE),
    ("a.4", "strict inequality from a weak hypothesis", rel(">"), CITE_WITNESS),
    ("a.5", "μ/2 became 1/(2μ)", to(Qdag + norm_sq(wstar - ydag) / (2 * mu)), DIFFER_EQ),
    ("a.5", "μ/L swapped in: μ/2 became L/2", to(Qdag + L / 2 * norm_sq(wstar - ydag)), DIFFER_EQ),
    ("a.6", "reversed inequality", rel("<="), NOT_PSD),
    ("a.6", "strict: ‖w* − y†‖ may be 0", rel(">"), STRICT),
    ("a.6", "μ/2 on the right too large", to(Qdag + mu * norm_sq(wstar - ydag)), NOT_PSD),
    ("a.6", "an inner product is not a square", to(Qdag + mu * Inner(wstar, ydag)), NOT_PSD),
    ("a.7", "dropped square (μ²→μ in ‖g/μ‖²)", to(Lv(x) - norm_sq(g) / mu + norm_sq(g) / 2), DIFFER_EQ),
    ("a.7", "1/μ became 1/μ²", to(Lv(x) - norm_sq(g) / mu**2 + norm_sq(g) / (2 * mu)), DIFFER_EQ),
    ("a.7", "sign of the linear term flipped", to(Lv(x) + norm_sq(g) / mu + norm_sq(g) / (2 * mu)), DIFFER_EQ),
    ("a.8", "1/(2μ) became 1/μ", to(Lv(x) - norm_sq(g) / mu), DIFFER_EQ),
    ("a.8", "sign flipped", to(Lv(x) + norm_sq(g) / (2 * mu)), DIFFER_EQ),
    ("a.9", "reversed inequality", rel("<="), NEG_MULT),
    ("a.9", "2μ became 4μ (too strong)", to(4 * mu * (Lv(x) - Lstar)), NOT_PSD),
    ("a.9", "μ/L swapped: 2L for 2μ", to(2 * L * (Lv(x) - Lstar)), NOT_PSD),
    ("a.9", "2μ became μ: true, but not the PL result it establishes", to(mu * (Lv(x) - Lstar)), NOT_STATED),
    ("a.9", "the chain above not used", uses(), NO_FACTS),
    # (b) linear convergence
    ("b.10", "reversed inequality", rel(">="), CITE_WITNESS),
    ("b.10", "μ for L", to(Lv(w("t")) + Inner(gt, wnext - w("t")) + mu / 2 * norm_sq(wnext - w("t"))), CITE_WITNESS),
    ("b.10", "points swapped in the citation", uses(use("smoothness", w("t"), wnext)), DIFFER_CITE),
    ("b.10", "cites strong convexity instead", uses(use("strong convexity", w("t"), wnext)), DIFFER_CITE),
    ("b.11", "1/(2L) became 1/L", to(Lv(w("t")) - norm_sq(gt) / L + norm_sq(gt) / L), DIFFER_EQ),
    ("b.11", "dropped square (L²→L in ‖g/L‖²)", to(Lv(w("t")) - norm_sq(gt) / L + norm_sq(gt) / 2), DIFFER_EQ),
    ("b.11", "sign of the linear term flipped", to(Lv(w("t")) + norm_sq(gt) / L + norm_sq(gt) / (2 * L)), DIFFER_EQ),
    ("b.12", "1/(2L) became 1/L", to(Lv(w("t")) - norm_sq(gt) / L), DIFFER_EQ),
    ("b.12", "1/(2L) became 1/(4L)", to(Lv(w("t")) - norm_sq(gt) / (4 * L)), DIFFER_EQ),
    ("b.13", "reversed inequality", rel(">="), NEG_MULT),
    ("b.13", "μ/L swapped with L/μ", to(Lv(w("t")) - L / mu * (Lv(w("t")) - Lstar)), NOT_PSD),
    ("b.13", "PL with multiplier 1/L instead of 1/(2L): rate 2μ/L",
     to(Lv(w("t")) - 2 * mu / L * (Lv(w("t")) - Lstar)), NOT_PSD),
    ("b.13", "PL at the wrong point", uses(use("PL", wnext)), NO_COMBO),
    ("b.13", "PL not cited", uses(), NO_FACTS),
    ("b.13", "cites a result not yet established", uses(use("contraction", t)), NOT_YET),
    ("b.14", "reversed inequality", rel(">="), NEG_MULT),
    ("b.14", "μ/L swapped with L/μ", to((1 - L / mu) * (Lv(w("t")) - Lstar)), NO_COMBO_WITNESS),
    ("b.14", "squared factor (1 − μ/L)²", to((1 - mu / L)**2 * (Lv(w("t")) - Lstar)), NO_COMBO),
    ("b.14", "states contraction at the wrong iterate", options(at=(t + 1,)),
     r"^unknown: contraction must be established at distinct variables or points, not at 1 \+ t"),
    ("b.15", "μ/L swapped with L/μ in q", options(q=1 - L / mu), PREMISE),
    ("b.15", "μ/L swapped with L/μ in the claim", to((1 - L / mu)**t * Delta), NOT_UNROLLED),
    ("b.15", "exponent t + 1", to((1 - mu / L)**(t + 1) * Delta), BASE_BROKEN),
    ("b.15", "r without ℒ*", options(r=lambda k: Lv(w(k))), PREMISE),
    ("b.15", "reversed inequality", rel(">="), r"^unknown: unrolling proves"),
    ("b.15", "exponent not an integer count", options(t=lam), r"^unknown: λ must be a declared integer"),
    ("b.16", "μ/L swapped with L/μ in the rate", to(exp(-t * L / mu) * Delta), MONO),
    ("b.16", "reversed inequality", rel(">="), MONO),
    ("b.16", "1 − z ≤ e^{−z} at the wrong z", uses(use("exp_bound", L / mu), use("minimum", w(0))), MONO),
    ("b.16", "exp_bound not cited", uses(use("minimum", w(0))), MONO),
    ("b.16", "Δ ≥ 0 not cited: a factor of unknown sign", uses(use("exp_bound", mu / L)),
     r"^unknown: the sign of the common factor Δ is not known"),
    ("b.17", "μ/L swapped with L/μ in the rate", to(exp(-t * L / mu) * Delta), NO_COMBO_WITNESS),
    ("b.17", "reversed inequality", rel(">="), NEG_MULT),
    ("b.17", "rate e^{−tμ/(2L)}: not the result it establishes", to(exp(-t * mu / (2 * L)) * Delta), NO_COMBO),
    ("b.17", "states linear rate with μ and L swapped", options(at=("ℒ", L, mu, wstar, w(0))), NOT_STATED),
    # (c) regularisation
    ("c.18", "reversed inequality", rel(">="), CITE_WITNESS),
    ("c.18", "strict inequality from a weak hypothesis", rel("<"), WEAK),
    ("c.18", "minimum at the wrong point", uses(use("minimum", wstar)), DIFFER_CITE),
    ("c.18", "cites the minimum of ℒ_λ", uses(use("minimum of ℒ_λ", wstar)), DIFFER_CITE),
    ("c.19", "reversed inequality", rel(">="), CITE_WITNESS),
    ("c.19", "cited at w_λ", uses(use("minimum of ℒ_λ", wlam)), DIFFER_CITE),
    ("c.20", "reversed inequality", rel(">="), NEG_MULT),
    ("c.20", "λ/2 became λ/4", to(lam / 4 * W), NOT_PSD),
    ("c.20", "w* became w_λ", to(lam / 2 * norm_sq(wlam)), NOT_PSD),
    ("c.20", "λ/2 became λ: true, but not the result it establishes", to(lam * W), NOT_STATED),
    ("c.21", "reversed inequality", rel(">="), CITE_WITNESS),
    ("c.21", "μ for L", to(Lstar + Inner(gstar, ZERO - wstar) + mu / 2 * norm_sq(ZERO - wstar)), CITE_WITNESS),
    ("c.21", "points swapped in the citation", uses(use("smoothness", wstar, ZERO)), DIFFER_CITE),
    ("c.22", "L/2 became L", to(Lstar + L * W), DIFFER_EQ),
    ("c.22", "dropped square: L/2 became L²/2", to(Lstar + L**2 / 2 * W), DIFFER_EQ),
    ("c.23", "reversed inequality", rel(">="), NEG_MULT),
    ("c.23", "L/2 became L/4", to(L / 4 * W), NOT_PSD),
    ("c.23", "λ for L", to(lam / 2 * W), NOT_PSD),
    ("c.23", "L/2 became L: true, but not the result it establishes", to(L * W), NOT_STATED),
    # (d) the combined bound
    ("d.24", "reversed inequality", rel(">="), DIFFER_CITE),
    ("d.24", "the scan's rate e^{−tλ/L}, cited with smoothness L + λ",
     to(SLIP * (Llam(ZERO) - Llam(wlam))), DIFFER_CITE),
    ("d.24", "the scan's rate e^{−tλ/L}, cited with smoothness L",
     both(to(SLIP * (Llam(ZERO) - Llam(wlam))), uses(use("linear rate", "ℒ_λ", lam, L, wlam, ZERO))),
     r"^unknown: ℒ_λ smooth \(L\) is not among the hypotheses \(declared: ℒ_λ L \+ λ-smooth\)"),
    ("d.24", "μ/L swapped: strong convexity L + λ, smoothness λ",
     both(to(exp(-t * (L + lam) / lam) * (Llam(ZERO) - Llam(wlam))),
          uses(use("linear rate", "ℒ_λ", L + lam, lam, wlam, ZERO))),
     r"^unknown: ℒ_λ strongly convex \(L \+ λ\) is not among the hypotheses"),
    ("d.24", "cited for ℒ, which is not strongly convex with λ",
     both(to(RATE * (Lv(ZERO) - Lv(wlam))), lambda s: replace(s, lhs=Lv(w("t")) - Lv(wlam)),
          uses(use("linear rate", "ℒ", lam, L + lam, wlam, ZERO))),
     r"^unknown: ℒ strongly convex \(λ\) is not among the hypotheses"),
    ("d.24", "wrong minimiser w*",
     both(to(RATE * (Llam(ZERO) - Llam(wstar))), lambda s: replace(s, lhs=Llam(w("t")) - Llam(wstar)),
          uses(use("linear rate", "ℒ_λ", lam, L + lam, wstar, ZERO))),
     r"^unknown: ℒ_λ minimised at \(w∗\) is not among the hypotheses"),
    ("d.25", "reversed inequality", rel(">="), MONO_WITNESS),
    ("d.25", "ℒ_λ(w_λ) ≥ ℒ* not cited", uses(), MONO_NO_FACTS),
    ("d.25", "rate e^{−tλ/L} on the right only", to(SLIP * (Lv(ZERO) - Lstar)), MONO_WITNESS),
    ("d.25", "the bracket's sign flipped", to(RATE * (Lstar - Lv(ZERO))), MONO_WITNESS),
    ("d.26", "reversed inequality", rel(">="), MONO_WITNESS),
    ("d.26", "L/2 became L/4", to(RATE * (L / 4 * W)), MONO_WITNESS),
    ("d.26", "λ for L", to(RATE * (lam / 2 * W)), MONO_WITNESS),
    ("d.26", "start gap not cited", uses(), MONO_NO_FACTS),
    ("d.26", "the other result of (c) cited", uses(use("regularised gap")), MONO),
    ("d.27", "reversed inequality", rel(">="), NOT_PSD),
    ("d.27", "strict: w_t may be 0", rel("<"), STRICT),
    ("d.27", "too much subtracted", to(Llam(w("t")) - Lstar - lam * norm_sq(w("t"))), NOT_PSD),
    ("d.28", "a bracket dropped", to(Llam(w("t")) - Llam(wlam) - Lstar), DIFFER_EQ),
    ("d.28", "sign of ℒ* flipped", to((Llam(w("t")) - Llam(wlam)) + (Llam(wlam) + Lstar)), DIFFER_EQ),
    ("d.29", "reversed inequality", rel(">="), NEG_MULT),
    ("d.29", "the scan's rate e^{−tλ/L}", to(SLIP * (L / 2 * W) + lam / 2 * W), NOT_PSD),
    ("d.29", "λ/2 became λ/4", to(RATE * (L / 2 * W) + lam / 4 * W), NOT_PSD),
    ("d.29", "L/2 became L/4", to(RATE * (L / 4 * W) + lam / 2 * W), NOT_PSD),
    ("d.29", "regularised gap not cited", uses(use("above")), NO_COMBO),
    # (e) iteration count
    ("e.30", "ε/2 became ε", to(eps), DIFFER_EQ),
    ("e.30", "λ = ε/‖w*‖² not assumed", when(), DIFFER_EQ),
    ("e.30", "λ = ε/(2‖w*‖²)", when(Eq(lam, eps / (2 * W))), DIFFER_EQ),
    ("e.31", "reversed inequality", rel(">="), MONO),
    ("e.31", "t ≥ T not assumed", when(), MONO_NO_FACTS),
    ("e.31", "condition reversed: t ≤ T", when(Le(t, T)), MONO),
    ("e.31", "rate e^{−Tλ/L} on the right", to(exp(-T * lam / L) * (L / 2 * W)), MONO),
    ("e.32", "ε/2 became ε", to(eps), DIFFER_EQ),
    ("e.32", "ε/2 became ε/4", to(eps / 4), DIFFER_EQ),
    ("e.33", "fraction inverted: 1 + ε/(L‖w*‖²)", to((1 + eps / (L * W)) * log(L * W / eps)), DIFFER_EQ),
    ("e.33", "log dropped", to(1 + L * W / eps), DIFFER_EQ),
    ("e.33", "λ = ε/‖w*‖² not assumed", when(), DIFFER_EQ),
]

# Mutants that change the world around a step: a side condition goes missing.
WORLD_MUTANTS = [
    ("b.15", "q ≥ 0 missing: L ≥ μ dropped", no_assumptions,
     r"^unknown: q = 1 - μ/L is not provably ≥ 0, and the induction needs it"),
    ("b.16", "base ≥ 0 missing: L ≥ μ dropped", no_assumptions, MONO + "|base .* not provably ≥ 0"),
    ("b.13", "L > 0 missing: multiplier 1/(2L) of unknown sign",
     lambda d: no_assumptions(unbounded(L)(d)), NEG_MULT),
    ("d.24", "linear rate never established: (b) does not state it", unestablished("b.17"),
     r"^unknown: uses 'linear rate', which no step above established"),
    ("d.27", "λ ≥ 0 missing", unbounded(lam), NOT_PSD),
    ("c.22", "∇ℒ(w*) = 0 not assumed",
     lambda d: replace(d, assumptions=tuple(a for a in d.assumptions if not isinstance(a, Eq))),
     DIFFER_EQ),
    ("e.31", "λ ≥ 0 missing: the exponent's factor of unknown sign", unbounded(lam),
     MONO + "|sign of the common factor"),
]


LINKS = [sid for sid in STEPS if step_of(sid).lhs is None and step_of(sid).rel != "="]


@pytest.mark.parametrize("sid", LINKS)
def test_reversed_link_of_a_chain_is_an_input_error(sid):
    """A chain a ≥ b ≥ c whose link turns to ≤ proves nothing about a and c: the
    derivation cannot even be built (the checker's own verdict is tested above)."""
    flip = {"<=": ">=", ">=": "<="}[step_of(sid).rel]
    with pytest.raises(ChainError, match=r"part \(\w\): a chain mixes ≤ and ≥ \(.*\); split it or flip one side"):
        i, j = STEPS[sid]
        part = Q4.parts[i]
        steps = part.steps[:j] + (rel(flip)(part.steps[j]),) + part.steps[j + 1:]
        replace(Q4, parts=Q4.parts[:i] + (replace(part, steps=steps),) + Q4.parts[i + 1:])


def states(lhs, rel_, rhs_, kind, *uses_, when_=()):
    """The step replaced by another statement, justified by ``kind`` from ``uses_``."""
    return lambda s: replace(s, lhs=lhs, rel=rel_, rhs=rhs_, why=why(kind, "", uses_), when=tuple(when_))


# A fact is used only where it holds. Q4 assumes ℒ μ-strongly convex only in (a)
# and (b) (so PL and the contraction are results of those parts only); ℒ_λ's
# properties hold in (c)–(e), and only (d) runs gradient descent on ℒ_λ with step
# 1/(L + λ), which `linear rate` requires. And the chain of (e) holds only where t ≥ T.
SC_C = Lv(wstar) + Inner(gstar, wlam - wstar) + mu / 2 * norm_sq(wlam - wstar)
RATE_LAM = RATE * (Llam(ZERO) - Llam(wlam))
NO_GD_STEP = (r"^unknown: ℒ_λ gradient descent step \(1/\(L \+ λ\)\) is not among the hypotheses "
              r"\(declared: ℒ_λ nothing\)$")
SCOPED = [
    ("d.24", "the rate of (b) cited for ℒ in part (d), where ℒ is not strongly convex",
     both(lambda s: replace(s, lhs=Lv(w("t")) - Lv(wstar)),
          to(exp(-t * mu / L) * (Lv(ZERO) - Lv(wstar))),
          uses(use("linear rate", "ℒ", mu, L, wstar, ZERO))),
     r"^unknown: ℒ strongly convex \(μ\) is not among the hypotheses \(declared: ℒ nothing\)$"),
    ("c.18", "strong convexity of ℒ cited in part (c)",
     states(Lv(wlam), ">=", SC_C, "hypothesis", use("strong convexity", wstar, wlam)),
     r"^unknown: 'strong convexity' holds only in part \(a\), \(b\), not in \(c\)$"),
    ("e.30", "strong convexity of ℒ cited in part (e)",
     states(Lv(wlam), ">=", SC_C, "hypothesis", use("strong convexity", wstar, wlam)),
     r"^unknown: 'strong convexity' holds only in part \(a\), \(b\), not in \(e\)$"),
    ("c.18", "PL, a result of (a), cited in part (c)",
     states(norm_sq(grad_at("ℒ", wlam)), ">=", 2 * mu * (Lv(wlam) - Lstar), "result", use("PL", wlam)),
     r"^unknown: 'PL' holds only in part \(a\), \(b\), not in \(c\)$"),
    ("d.27", "the contraction of (b) cited in part (d)",
     states(Lv(wnext) - Lstar, "<=", (1 - mu / L) * (Lv(w("t")) - Lstar), "result", use("contraction", t)),
     r"^unknown: 'contraction' holds only in part \(b\), not in \(d\)$"),
    ("c.18", "the rate cited for ℒ_λ in part (c), which runs no gradient descent on ℒ_λ",
     states(Llam(w("t")) - Llam(wlam), "<=", RATE_LAM, "result", use("linear rate", "ℒ_λ", lam, L + lam, wlam, ZERO)),
     NO_GD_STEP),
    ("e.31", "the rate cited for ℒ_λ in part (e)",
     states(Llam(w("t")) - Llam(wlam), "<=", RATE_LAM, "result", use("linear rate", "ℒ_λ", lam, L + lam, wlam, ZERO)),
     NO_GD_STEP),
    ("e.33", "the chain of (e), which assumes t ≥ T, used without it",
     states(RATE * (L / 2 * W), "<=", eps / 2, "monotone", use("above")),
     r"^unknown: the chain above holds only where t ≥ T; this step does not assume it$"),
]


@pytest.mark.parametrize("sid, what, mutate, pattern", SCOPED, ids=[m[0] + ": " + m[1] for m in SCOPED])
def test_a_fact_is_not_used_where_it_does_not_hold(sid, what, mutate, pattern):
    _assert_rejected(run(sid, mutate), pattern)


def test_the_chain_of_e_is_used_under_its_condition():
    """The control for the last row: the same step, assuming t ≥ T, is proved."""
    v = run("e.33", states(RATE * (L / 2 * W), "<=", eps / 2, "monotone", use("above"), when_=(Ge(t, T),)))
    assert v.status == "proved", (v.status, v.reason)
    assert v.lines[-1].endswith(": the chain above")


def with_result(name, instance, sid, at):
    """Q4 with one more (unscoped) result, which step ``sid`` states at ``at``."""
    def go(d):
        d = replace(d, schemas=tuple(d.schemas) + (Schema(name, instance, "result"),))
        i, j = STEPS[sid]
        part = d.parts[i]
        s = part.steps[j]
        s = replace(s, why=replace(s.why, options=tuple(s.why.options) + (("establishes", name), ("at", at))))
        parts = list(d.parts)
        parts[i] = replace(part, steps=part.steps[:j] + (s,) + part.steps[j + 1:])
        return replace(d, parts=tuple(parts))
    return go


def _flat_at_wstar(d):
    """c.18 replaced by ‖∇ℒ(w*)‖² ≤ 0 (true: ∇ℒ(w*) = 0 is assumed), stated as a result `flat`."""
    flat = with_result("flat", lambda p: Le(norm_sq(grad_at("ℒ", p)), 0, evaluate=False), "c.18", (wstar,))
    i, j = STEPS["c.18"]
    part = d.parts[i]
    proof = Step(norm_sq(gstar), "<=", S.Zero, why("combination", "∇ℒ(w*) = 0"))
    parts = list(d.parts)
    parts[i] = replace(part, steps=part.steps[:j] + (proof,) + part.steps[j + 1:])
    return flat(replace(d, parts=tuple(parts)))


# A result must not outlive what its proof used: (1) the part-scoped hypotheses of
# the part that proved it, (2) the assumptions on the vectors it was proved at
# (∇ℒ(w*) = 0 pins w* down, so a result proved at w* is not established at all).
GAPS = [
    ("c.18", "strong convexity laundered through an unscoped result of (a), cited in (c)",
     states(Lv(wlam), ">=", SC_C, "result", use("quadratic bound", wstar, wlam)),
     with_result("quadratic bound", lambda a, c: Ge(Lv(c), Lv(a) + Inner(grad_at("ℒ", a), c - a)
                                                     + mu / 2 * norm_sq(c - a)), "a.1", (x, y))),
    ("c.19", "∇ℒ(w*) = 0 carried to any point: ‖∇ℒ(x)‖² ≤ 0",
     states(norm_sq(g), "<=", S.Zero, "result", use("flat", x)), _flat_at_wstar),
]


@pytest.mark.parametrize("sid, what, mutate, world", GAPS, ids=[m[0] + ": " + m[1] for m in GAPS])
def test_a_result_does_not_outlive_what_its_proof_used(sid, what, mutate, world):
    v = run(sid, mutate, world)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.method)


# Not wrong: each is weaker than the fact it cites (L ≥ 0, λ ≥ 0), so it follows from the
# instance by a nonnegative multiplier, which the kernel re-checks. They were `failed` as
# "not an instance", a true step failed with no counterexample.
WEAKENINGS = [
    ("b.10", "L/2 became L", to(Lv(w("t")) + Inner(gt, wnext - w("t")) + L * norm_sq(wnext - w("t")))),
    ("c.19", "λ/2 became λ", to(Lv(wstar) + lam * norm_sq(wstar))),
    ("c.19", "dropped the regulariser on the left", lambda s: replace(s, lhs=Lv(wlam))),
    ("c.21", "L/2 became L", to(Lstar + Inner(gstar, ZERO - wstar) + L * norm_sq(ZERO - wstar))),
]


@pytest.mark.parametrize("sid, what, mutate", WEAKENINGS, ids=[f"{m[0]}: {m[1]}" for m in WEAKENINGS])
def test_a_true_weakening_of_a_cited_fact_is_proved(sid, what, mutate):
    v = run(sid, mutate)
    assert (v.status, v.method) == ("proved", "combination: multipliers"), (v.status, v.reason)


def test_every_step_has_two_mutants():
    counts = {sid: 0 for sid in STEPS}
    for sid, *_ in MUTANTS:
        counts[sid] += 1
    assert {sid: n for sid, n in counts.items() if n < 2} == {}


def test_the_unrolled_bound_breaks_at_t_0_for_a_witness_that_meets_every_hypothesis():
    """r(t) ≤ (1 − μ/L)^{t+1}·Δ is false at t = 0 for any ℒ with ℒ(w₀) > ℒ*: the witness
    shows that instance (t = 0, not the t it drew), with w* and w_λ at the minimisers of ℒ
    and ℒ_λ, and its two sides are recomputed here from the quadratic it shows."""
    from fractions import Fraction
    v = run("b.15", to((1 - mu / L)**(t + 1) * Delta))
    assert v.status == "failed", (v.status, v.reason)
    cex = v.counterexample
    assert cex["t"] == "0", cex
    assert cex["w*"].endswith("the minimiser of ℒ"), cex
    assert cex["w_λ"].endswith("the minimiser of p ↦ λ·‖p‖²/2 + ℒ(p) (minimum of ℒ_λ)"), cex
    quad = cex["ℒ(w)"]
    eig, lin = ([Fraction(v_) for v_ in re.search(pat, quad).group(1).split(",")]
                for pat in (r"A = diag\(([^)]*)\)", r"b = \(([^)]*)\)"))
    point = {k: [Fraction(v_) for v_ in re.match(r"^\(([^)]*)\)", cex[k]).group(1).split(",")]
             for k in ("w_{0}", "w*", "w_λ")}
    f = lambda p: sum(e * a * a / 2 + b_ * a for e, a, b_ in zip(eig, p, lin))  # noqa: E731
    mu_, L_, lam_ = (Fraction(cex[k]) for k in ("μ", "L", "λ"))
    assert all(e * a + b_ == 0 for e, a, b_ in zip(eig, point["w*"], lin))
    assert all((e + lam_) * a + b_ == 0 for e, a, b_ in zip(eig, point["w_λ"], lin))
    r0 = f(point["w_{0}"]) - f(point["w*"])
    assert (Fraction(cex["lhs"]), Fraction(cex["rhs"])) == (r0, (1 - mu_ / L_) * r0)
    assert r0 > (1 - mu_ / L_) * r0


def _assert_rejected(v, pattern):
    assert v.status in ("failed", "unknown"), (v.status, v.method, v.reason)
    assert v.reason
    assert re.search(pattern, f"{v.status}: {v.reason}"), f"{v.status}: {v.reason}"


@pytest.mark.parametrize("sid, what, mutate, pattern", MUTANTS, ids=[f"{m[0]}: {m[1]}" for m in MUTANTS])
def test_wrong_variant_is_rejected(sid, what, mutate, pattern):
    _assert_rejected(run(sid, mutate), pattern)


@pytest.mark.parametrize("sid, what, world, pattern", WORLD_MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in WORLD_MUTANTS])
def test_missing_side_condition_is_rejected(sid, what, world, pattern):
    _assert_rejected(run(sid, mutate_derivation=world), pattern)


def test_fast_path_agrees_with_check_derivation():
    """`run` reuses the env of the original run; spot-check it against a full run."""
    sample = [m for m in MUTANTS if m[:2] in {
        ("a.9", "2μ became μ: true, but not the PL result it establishes"),
        ("b.14", "μ/L swapped with L/μ"),
        ("b.15", "exponent t + 1"),
        ("d.24", "the scan's rate e^{−tλ/L}, cited with smoothness L"),
        ("d.29", "the scan's rate e^{−tλ/L}"),
        ("e.31", "reversed inequality")}]
    assert len(sample) == 6
    for sid, _, mutate, _ in sample:
        fast, slow = run(sid, mutate), run_from_start(sid, mutate)
        assert (fast.status, fast.reason) == (slow.status, slow.reason)


# -- the seed's slip -----------------------------------------------------------
# The scan runs gradient descent on ℒ_λ, which is λ-strongly convex and
# (L + λ)-smooth, but writes the rate of (b) as e^{−tλ/L}: that is the rate for
# an L-smooth function. A checker that accepts it is wrong.

def slipped(derivation=Q4, cite_smoothness=None):
    """Q4 with the scan's rate e^{−tλ/L} in steps 24–26 and 29 (14–16 of the homework).

    ``cite_smoothness``: the smoothness constant step 24 cites (default L + λ, as declared).
    """
    M = L + lam if cite_smoothness is None else cite_smoothness
    parts = list(derivation.parts)
    i = next(k for k, p in enumerate(parts) if p.label == "d")
    steps = list(parts[i].steps)
    steps[0] = replace(steps[0], rhs=SLIP * (Llam(ZERO) - Llam(wlam)), why=replace(
        steps[0].why, uses=(use("linear rate", "ℒ_λ", lam, M, wlam, ZERO),)))
    steps[1] = replace(steps[1], rhs=SLIP * (Lv(ZERO) - Lstar))
    steps[2] = replace(steps[2], rhs=SLIP * (L / 2 * W))
    steps[5] = replace(steps[5], rhs=SLIP * (L / 2 * W) + lam / 2 * W)
    parts[i] = replace(parts[i], steps=tuple(steps))
    return replace(derivation, parts=tuple(parts))


def _verdicts(derivation):
    return {f"{r.part.label}.{r.index}": r.verdict for r in check_derivation(derivation)}


def test_slip_cited_with_the_declared_smoothness_is_unknown_with_the_residual():
    # False (test_the_slip_is_false_not_only_unproved), but not an instance is no disproof.
    v = _verdicts(slipped())["d.24"]
    assert v.status == "unknown", (v.status, v.reason)
    assert re.search(differ_by("e^(-t·λ/L)", "e^(-t·λ/(L + λ))"), f"{v.status}: {v.reason}"), v.reason


def test_slip_cited_with_smoothness_L_is_unknown_for_want_of_the_hypothesis():
    v = _verdicts(slipped(cite_smoothness=L))["d.24"]
    assert v.status == "unknown", (v.status, v.reason)
    assert v.reason == "ℒ_λ smooth (L) is not among the hypotheses (declared: ℒ_λ L + λ-smooth)"


@pytest.mark.parametrize("cite_smoothness", [None, L], ids=["cited with L + λ", "cited with L"])
def test_slip_is_never_proved_downstream(cite_smoothness):
    """Steps 25 and 26 stay valid (they hold for any rate ≥ 0); the bound of step
    29 needs the chain 24–26, which is broken at 24, so it is not proved either."""
    v = _verdicts(slipped(cite_smoothness=cite_smoothness))
    assert v["d.24"].status in ("failed", "unknown")
    assert v["d.25"].status == "proved" and v["d.26"].status == "proved"
    assert v["d.29"].status == "unknown", (v["d.29"].status, v["d.29"].reason)
    assert "above" in v["d.29"].reason      # the chain above it is not established
    assert all(v[s].ok for s in v if not s.startswith("d."))


def test_slip_alone_in_the_final_bound_is_not_proved():
    """Steps 24–26 as the solution has them; only step 29 writes e^{−tλ/L}."""
    v = run("d.29", to(SLIP * (L / 2 * W) + lam / 2 * W))
    _assert_rejected(v, NOT_PSD)
    assert "e^(t·λ/L)" in v.reason


def declare(derivation, *props):
    """The derivation with more stated properties of ℒ_λ in part (d): (name, constant) pairs."""
    from derive.model import Property
    return replace(derivation, properties=derivation.properties + tuple(
        Property(name, "ℒ_λ", const, ("d",)) for name, const in props))


SLIP_DECLARED = [
    ("ℒ_λ declared L-smooth: the iterates of (d) still take step 1/(L + λ)", [("smooth", L)],
     "ℒ_λ gradient descent step (1/L) is not among the hypotheses "
     "(declared: ℒ_λ 1/(L + λ)-gradient descent step)"),
    ("… and run with step 1/L: L ≥ λ still does not follow", [("smooth", L), ("gradient descent step", 1 / L)],
     "side condition L ≥ λ does not follow from the assumptions"),
]


@pytest.mark.parametrize("what, props, reason", SLIP_DECLARED, ids=[d[0] for d in SLIP_DECLARED])
def test_slip_would_need_L_smoothness_step_1_over_L_and_L_at_least_lambda(what, props, reason):
    """Declare ℒ_λ L-smooth (false for the regularised loss): the rate of (b) also
    needs the iterates to be gradient descent with step 1/L, and L ≥ λ, which
    does not follow from the assumptions."""
    v = _verdicts(slipped(declare(Q4, *props), cite_smoothness=L))["d.24"]
    assert v.status == "unknown"
    assert v.reason == reason


def test_the_worked_example_in_the_docs(capsys):
    """examples/seed_slip.py (pasted into docs/seed-slip.md) says what this file asserts."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "examples" / "seed_slip.py"
    spec = importlib.util.spec_from_file_location("seed_slip_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shown = module.main(["--explain"])
    statuses = {k: [r.verdict.status for r in rs] for k, rs in shown.items()}
    assert statuses == {
        "solved": ["cited", "proved", "proved", "proved", "proved", "proved"],
        "scan, M = L + λ": ["unknown", "proved", "proved", "proved", "proved", "unknown"],
        "scan, M = L": ["unknown", "proved", "proved", "proved", "proved", "unknown"],
        "scan, declared L-smooth": ["unknown", "proved", "proved", "proved", "proved", "unknown"],
        "scan, declared L-smooth, step 1/L": ["unknown", "proved", "proved", "proved", "proved", "unknown"],
    }
    reasons = {k: rs[0].verdict.reason for k, rs in shown.items()}
    assert reasons["scan, M = L"] == "ℒ_λ smooth (L) is not among the hypotheses (declared: ℒ_λ L + λ-smooth)"
    assert reasons["scan, declared L-smooth"].startswith("ℒ_λ gradient descent step (1/L) is not among")
    assert reasons["scan, declared L-smooth, step 1/L"] == "side condition L ≥ λ does not follow from the assumptions"
    out = capsys.readouterr().out
    assert "? d.24" in out and "not an instance of linear rate" in out and "not among the hypotheses" in out
    assert "ℒ_λ gradient descent step (1/(L + λ)): a stated hypothesis" in out      # --explain


def test_the_slip_is_false_not_only_unproved():
    """The counterexample of docs/seed-slip.md: L = 1, λ = 4, ℒ(w) = 0.005·(w − 1)²,
    one step of gradient descent on ℒ_λ with step 1/(L + λ) from w₀ = 0."""
    import math
    L_, lam_, eps_ = 1.0, 4.0, 0.01
    loss = lambda u: eps_ / 2 * (u - 1) ** 2 + lam_ / 2 * u ** 2          # noqa: E731  ℒ_λ
    grad = lambda u: eps_ * (u - 1) + lam_ * u                            # noqa: E731
    w_lam = eps_ / (eps_ + lam_)
    gap0 = loss(0.0) - loss(w_lam)
    gap1 = loss(0.0 - grad(0.0) / (L_ + lam_)) - loss(w_lam)
    assert math.isclose(gap0, 1.2469e-5, rel_tol=1e-4) and math.isclose(gap1, 4.888e-7, rel_tol=1e-3)
    assert gap1 > math.exp(-lam_ / L_) * gap0                 # the scan's rate is broken
    assert gap1 <= math.exp(-lam_ / (L_ + lam_)) * gap0       # the rate of (b) with M = L + λ holds
