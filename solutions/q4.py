"""Question 4: gradient descent under strong convexity, smoothness and regularisation."""

from sympy import Eq, Ge, Le, evaluate, exp, log

from derive.build import Builder, use, why
from derive.notation import ZERO, VectorSymbol, grad_at, norm_sq, value_at, Inner

F, FL = "ℒ", "ℒ_λ"


def w(k):
    """The k-th iterate as a named point: w_{t}, w_{t + 1}, w_{0}."""
    return VectorSymbol(f"w_{{{k}}}")


def derivation():
    b = Builder(
        "q4", "Question 4: gradient descent, strong convexity, smoothness and regularisation",
        intro=(
            "Throughout, $\\mathcal{L}$ is differentiable and convex with minimum "
            "$\\mathcal{L}^* = \\mathcal{L}(w^*)$; it is $L$-smooth, "
            "$\\mathcal{L}(a)\\le\\mathcal{L}(b)+\\langle\\nabla\\mathcal{L}(b),a-b\\rangle+\\tfrac L2\\|a-b\\|^2$, "
            "and in (a) and (b) $\\mu$-strongly convex, "
            "$\\mathcal{L}(b)\\ge\\mathcal{L}(a)+\\langle\\nabla\\mathcal{L}(a),b-a\\rangle+\\tfrac\\mu2\\|b-a\\|^2$, "
            "with $0<\\mu\\le L$. Vectors live in any inner-product space; every step below holds "
            "whatever its dimension."),
    )
    mu = b.var("μ", latex=r"\mu", lower=0)
    L = b.var("L", lower=0)
    lam = b.var("λ", latex=r"\lambda", lower=0)
    eps = b.var("ε", latex=r"\varepsilon", lower=0)
    t = b.var("t", lower=0, lower_open=False, integer=True)
    b.assume(Ge(L, mu))

    def Lv(p):
        return value_at(F, p)

    def grad(p):
        return grad_at(F, p)

    x, y, wstar, wlam = (b.vector(n, latex=tex) for n, tex in
                         (("x", None), ("y", None), ("w*", "w^*"), ("w_λ", r"w_{\lambda}")))
    Lstar = b.define("ℒ*", Lv(wstar), latex=r"\mathcal{L}^*")
    # w* minimises the differentiable ℒ, so its gradient vanishes (everywhere in the question).
    b.assume(Eq(grad(wstar), 0))

    # Hypotheses: universally quantified over points a, b, p.
    b.schema("strong convexity", lambda a, c: Ge(Lv(c), Lv(a) + Inner(grad(a), c - a) + mu / 2 * norm_sq(c - a)),
             statement="μ-strong convexity of ℒ", parts=("a", "b"))
    b.schema("smoothness", lambda a, c: Le(Lv(a), Lv(c) + Inner(grad(c), a - c) + L / 2 * norm_sq(a - c)),
             statement="L-smoothness of ℒ")
    b.schema("minimum", lambda p: Le(Lstar, Lv(p)), statement="ℒ* = ℒ(w*) is the minimum of ℒ")
    b.property("strongly convex", F, mu, parts=("a", "b"))
    b.property("gradient descent step", F, 1 / L, parts=("b",))
    b.property("smooth", F, L)
    b.property("minimised at", F, wstar)

    def Llam(p):
        return Lv(p) + lam / 2 * norm_sq(p)

    Lλ = {p: b.define(f"ℒ_λ({p.name if hasattr(p, 'name') else p})", Llam(p)) for p in (w("t"), wlam, wstar, ZERO)}
    b.schema("minimum of ℒ_λ", lambda p: Le(Lλ[wlam], Llam(p)), statement="w_λ minimises ℒ_λ")
    later = ("c", "d", "e")
    b.property("strongly convex", FL, lam, parts=later)
    b.property("smooth", FL, L + lam, parts=later)
    b.property("minimised at", FL, wlam, parts=later)
    b.property("gradient descent step", FL, 1 / (L + lam), parts=("d",))

    # Results: stated by a step below, then citable like hypotheses.
    b.schema("PL", lambda p: Ge(norm_sq(grad(p)), 2 * mu * (Lv(p) - Lstar)), kind="result",
             statement="the Polyak–Łojasiewicz inequality, from (a)", parts=("a", "b"))
    b.schema("contraction", lambda k: Le(Lv(w(k + 1)) - Lstar, (1 - mu / L) * (Lv(w(k)) - Lstar)),
             kind="result", statement="one step of gradient descent, from (b)", parts=("b",))

    def rate(f, m, M, minimiser, start):
        fv = lambda p: value_at(f, p)  # noqa: E731
        return Le(fv(w("t")) - fv(minimiser), exp(-t * m / M) * (fv(start) - fv(minimiser)))

    def rate_needs(f, m, M, minimiser, start):
        return (("property", "strongly convex", f, m), ("property", "smooth", f, M),
                ("property", "minimised at", f, minimiser),
                ("property", "gradient descent step", f, 1 / M), m > 0, Ge(M, m))

    b.schema("linear rate", rate, kind="result", obligations=rate_needs,
             statement="gradient descent with step 1/M on an m-strongly convex, M-smooth f, from (b)")
    b.schema("regularised gap", lambda: Le(Lλ[wlam] - Lstar, lam / 2 * norm_sq(wstar)), kind="result",
             statement="from (c)")
    b.schema("start gap", lambda: Le(Lv(ZERO) - Lstar, L / 2 * norm_sq(wstar)), kind="result",
             statement="from (c)")

    with evaluate(False):
        _part_a(b, mu, x, y, wstar, Lv, grad, Lstar)
        _part_b(b, mu, L, t, Lv, grad, Lstar, wstar)
        _part_c(b, L, lam, Lv, grad, Lstar, wstar, wlam, Lλ)
        _part_d(b, L, lam, t, Lv, Lstar, wstar, wlam, Lλ)
        _part_e(b, L, lam, eps, t, wstar)
    return b.build(source=__file__)


def _part_a(b, mu, x, y, wstar, Lv, grad, Lstar):
    g = grad(x)
    ydag = b.define("y†", x - g / mu, vector=True, latex=r"y^{\dagger}")

    def Q(p):
        return Lv(x) + Inner(g, p - x) + mu / 2 * norm_sq(p - x)

    Qy = b.define("Q(y)", Q(y), latex="Q(y)")
    Qdag = b.define("Q(y†)", Q(ydag), latex=r"Q(y^{\dagger})")
    Qstar = b.define("Q(w*)", Q(wstar), latex=r"Q(w^*)")
    b.part("a", "Strong convexity implies the Polyak–Łojasiewicz inequality", intro=(
        "Fix $x$ and write $Q(y)=\\mathcal{L}(x)+\\langle\\nabla\\mathcal{L}(x),y-x\\rangle"
        "+\\tfrac\\mu2\\|y-x\\|^2$, the quadratic lower bound strong convexity gives at $x$. "
        "Its minimiser is $y^\\dagger = x-\\tfrac1\\mu\\nabla\\mathcal{L}(x)$."))
    b.step(Lv(y), ">=", Qy, why("hypothesis", "strong convexity at $a=x$, $b=y$",
                                [use("strong convexity", x, y)]))
    b.step(Qy, "=", Qdag + mu / 2 * norm_sq(y - ydag), why("algebra", "completing the square"),
           note="So $Q$ is smallest at $y^\\dagger$. The minimum of $\\mathcal{L}$ is at least that of $Q$:")
    b.step(Lstar, "=", Lv(wstar), why("definition", "the definition of $\\mathcal{L}^*$"))
    b.then(">=", Qstar, why("hypothesis", "strong convexity at $a=x$, $b=w^*$",
                            [use("strong convexity", x, wstar)]))
    b.then("=", Qdag + mu / 2 * norm_sq(wstar - ydag), why("algebra", "completing the square"))
    b.then(">=", Qdag, why("combination", "a squared norm is $\\ge0$"))
    b.then("=", Lv(x) - norm_sq(g) / mu + norm_sq(g) / (2 * mu), why("algebra", "insert $y^\\dagger$"))
    b.then("=", Lv(x) - norm_sq(g) / (2 * mu), why("algebra", "collect"))
    b.step(norm_sq(g), ">=", 2 * mu * (Lv(x) - Lstar),
           why("combination", "the chain above, times $2\\mu$", [use("above")], establishes="PL", at=(x,)),
           note=("This is the PL inequality at an arbitrary $x$. (The scan writes "
                 "$\\mathcal{L}(y)=\\mathcal{L}^*$ for the minimiser of $Q$; the sound order is the chain above.)"))


def _part_b(b, mu, L, t, Lv, grad, Lstar, wstar):
    gt = grad(w("t"))
    b._name(gt, "g_t")
    b.define(w("t + 1").name, w("t") - gt / L, vector=True)
    wn = w("t + 1")
    delta = b.define("Δ", Lv(w(0)) - Lstar, latex=r"\Delta")
    b.part("b", "Linear convergence of gradient descent", intro=(
        "Gradient descent with step $1/L$: $w_{t+1}=w_t-\\tfrac1L g_t$, $g_t=\\nabla\\mathcal{L}(w_t)$, "
        "from $w_0$ with the initial gap $\\Delta=\\mathcal{L}(w_0)-\\mathcal{L}^*$."))
    b.step(Lv(wn), "<=", Lv(w("t")) + Inner(gt, wn - w("t")) + L / 2 * norm_sq(wn - w("t")),
           why("hypothesis", "smoothness at $a=w_{t+1}$, $b=w_t$", [use("smoothness", wn, w("t"))]))
    b.then("=", Lv(w("t")) - norm_sq(gt) / L + norm_sq(gt) / (2 * L),
           why("algebra", "$w_{t+1}-w_t=-\\tfrac1L g_t$"))
    b.then("=", Lv(w("t")) - norm_sq(gt) / (2 * L), why("algebra", "collect"))
    b.then("<=", Lv(w("t")) - mu / L * (Lv(w("t")) - Lstar),
           why("combination", "PL at $w_t$, multiplier $\\tfrac1{2L}$", [use("PL", w("t"))]))
    b.step(Lv(wn) - Lstar, "<=", (1 - mu / L) * (Lv(w("t")) - Lstar),
           why("combination", "subtract $\\mathcal{L}^*$", [use("above")], establishes="contraction", at=(t,)))
    b.step(Lv(w("t")) - Lstar, "<=", (1 - mu / L)**t * delta,
           why("unroll", "apply it $t$ times; $1-\\mu/L\\ge0$", [use("contraction")],
               r=lambda k: Lv(w(k)) - Lstar, q=1 - mu / L, t=t))
    b.then("<=", exp(-t * mu / L) * delta,
           why("monotone", "$1-z\\le e^{-z}$ at $z=\\mu/L$; $\\Delta\\ge0$",
               [use("exp_bound", mu / L), use("minimum", w(0))]),
           note="The two bounds together, for every $t\\ge0$:")
    b.step(Lv(w("t")) - Lstar, "<=", exp(-t * mu / L) * delta,
           why("combination", "\\eqref{q4:15} and \\eqref{q4:16}", [use("above")], establishes="linear rate",
               at=("ℒ", mu, L, wstar, w(0))),
           note="The gap shrinks by a constant factor per step: linear convergence.")


def _part_c(b, L, lam, Lv, grad, Lstar, wstar, wlam, Lλ):
    b.part("c", "Regularisation", intro=(
        "Now $\\mathcal{L}$ is convex and $L$-smooth but not strongly convex *(statement reconstructed)*. "
        "Its regularisation $\\mathcal{L}_\\lambda(w)=\\mathcal{L}(w)+\\tfrac\\lambda2\\|w\\|^2$ is "
        "$\\lambda$-strongly convex and $(L+\\lambda)$-smooth, with minimiser $w_\\lambda$."))
    b.step(Lv(wstar), "<=", Lv(wlam), why("hypothesis", "$w^*$ minimises $\\mathcal{L}$",
                                          [use("minimum", wlam)]))
    b.step(Lv(wlam) + lam / 2 * norm_sq(wlam), "<=", Lv(wstar) + lam / 2 * norm_sq(wstar),
           why("hypothesis", "$w_\\lambda$ minimises $\\mathcal{L}_\\lambda$", [use("minimum of ℒ_λ", wstar)]))
    b.step(Lλ[wlam] - Lstar, "<=", lam / 2 * norm_sq(wstar),
           why("combination", "the line above", [use("above")], establishes="regularised gap"))
    b.step(Lv(ZERO), "<=", Lv(wstar) + Inner(grad(wstar), ZERO - wstar) + L / 2 * norm_sq(ZERO - wstar),
           why("hypothesis", "smoothness at $a=0$, $b=w^*$", [use("smoothness", ZERO, wstar)]))
    b.then("=", Lstar + L / 2 * norm_sq(wstar), why("substitute", "$\\nabla\\mathcal{L}(w^*)=0$"))
    b.step(Lv(ZERO) - Lstar, "<=", L / 2 * norm_sq(wstar),
           why("combination", "the chain above", [use("above")], establishes="start gap"))


def _part_d(b, L, lam, t, Lv, Lstar, wstar, wlam, Lλ):
    rate = exp(-t * lam / (L + lam))
    b.part("d", "The combined bound", intro=(
        "Run gradient descent on $\\mathcal{L}_\\lambda$ from $w_0=0$ with step $1/(L+\\lambda)$."))
    b.step(Lλ[w("t")] - Lλ[wlam], "<=", rate * (Lλ[ZERO] - Lλ[wlam]),
           why("result", "(b) with $\\mu\\to\\lambda$, $L\\to L+\\lambda$",
               [use("linear rate", FL, lam, L + lam, wlam, ZERO)]))
    b.then("<=", rate * (Lv(ZERO) - Lstar),
           why("monotone", "$\\mathcal{L}_\\lambda(0)=\\mathcal{L}(0)$, $\\mathcal{L}_\\lambda(w_\\lambda)\\ge\\mathcal{L}^*$",
               [use("minimum", wlam)]))
    b.then("<=", rate * (L / 2 * norm_sq(wstar)), why("monotone", "by (c)", [use("start gap")]))
    b.step(Lv(w("t")) - Lstar, "<=", Lλ[w("t")] - Lstar, why("combination", "$\\tfrac\\lambda2\\|w_t\\|^2\\ge0$"))
    b.then("=", (Lλ[w("t")] - Lλ[wlam]) + (Lλ[wlam] - Lstar), why("algebra", "add and subtract"))
    b.then("<=", rate * (L / 2 * norm_sq(wstar)) + lam / 2 * norm_sq(wstar),
           why("combination", "the chain above and (c)", [use("above"), use("regularised gap")]),
           note=("The scan writes the rate as $e^{-t\\lambda/L}$; that needs $\\mathcal{L}_\\lambda$ to be "
                 "$L$-smooth, but it is only $(L+\\lambda)$-smooth, so that step does not follow."))


def _part_e(b, L, lam, eps, t, wstar):
    W = norm_sq(wstar)
    T = b.define("T", (L + lam) / lam * log(L * W / eps))
    rate = exp(-t * lam / (L + lam))
    b.part("e", "Iteration count and the cost of regularising", intro=(
        "For a target accuracy $\\varepsilon$, choose $\\lambda=\\varepsilon/\\|w^*\\|^2$. The number of "
        "steps is $T=\\tfrac{L+\\lambda}{\\lambda}\\log(L\\|w^*\\|^2/\\varepsilon)$."))
    b.step(lam / 2 * W, "=", eps / 2, why("substitute", "the choice of $\\lambda$"),
           when=[Eq(lam, eps / W)])
    b.step(rate * (L / 2 * W), "<=", exp(-T * lam / (L + lam)) * (L / 2 * W),
           why("monotone", "$t\\ge T$, exp increasing"), when=[Ge(t, T)])
    b.then("=", eps / 2, why("algebra", "$e^{-\\log a}=1/a$"))
    b.step(T, "=", (1 + L * W / eps) * log(L * W / eps), why("substitute", "the choice of $\\lambda$ in $T$"),
           when=[Eq(lam, eps / W)],
           note=("So $t\\ge(1+L\\|w^*\\|^2/\\varepsilon)\\log(L\\|w^*\\|^2/\\varepsilon)$ "
                 "iterations give $\\mathcal{L}(w_t)-\\mathcal{L}^*\\le\\varepsilon$. Gradient descent on the "
                 "smooth convex $\\mathcal{L}$ itself needs $O(L\\|w^*\\|^2/\\varepsilon)$ steps: regularising "
                 "costs an extra logarithmic factor, which grows slowly. That is the price of the "
                 "regulariser's benefit to generalisation, as the answer in the scan concludes."))
