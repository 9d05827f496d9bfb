"""Question 6: a one-weight network; gradient, Hessian and convexity."""

from sympy import Eq, Gt, Lt, Ne, Piecewise, Rational, evaluate, exp, log, sqrt

from derive.build import Builder, D, lim, why
from derive.notation import ReLU, sigma


def derivation():
    b = Builder(
        "q6", "Question 6: a one-weight network, its gradient, Hessian and convexity",
        intro=(
            "Setup (reconstructed from the steps; the scan lost the statement). A scalar "
            "input $x\\in\\mathbb{R}$, a target $y\\in(0,1)$ and one weight $v\\in\\mathbb{R}$, "
            "used twice: $u = v\\,\\operatorname{ReLU}(vx)$, $\\hat y = \\sigma(u)$ with "
            "$\\sigma(z) = 1/(1+e^{-z})$, and the cross-entropy loss "
            "$\\ell = -y\\log\\hat y - (1-y)\\log(1-\\hat y)$."),
    )
    x = b.var("x")
    y = b.var("y", lower=0, upper=1)
    v = b.var("v")
    u = b.define("u", v * ReLU(v * x))
    yh = b.define("ŷ", sigma(u), latex=r"\hat{y}")
    ell = b.define("ℓ", -y * log(yh) - (1 - y) * log(1 - yh), latex=r"\ell")
    half = Rational(1, 2)

    with evaluate(False):
        dl_dyh = -(y / yh) + (1 - y) / (1 - yh)
        grad_pos = (yh - y) * (2 * v * x)
        hess = 4 * v**2 * x**2 * yh * (1 - yh) + 2 * x * (yh - y)
        root = -(1 / x) * log(1 / y - 1)

    with evaluate(False):
        _steps(b, x, y, v, u, yh, ell, half, dl_dyh, grad_pos, hess, root)
    return b.build(source=__file__)


def _steps(b, x, y, v, u, yh, ell, half, dl_dyh, grad_pos, hess, root):
    # (a) -------------------------------------------------------------------
    off_kink = [Ne(v * x, 0)]
    b.part("a", "The gradient by the chain rule", intro=(
        "ReLU has no derivative at $0$, so the chain rule is applied where $vx\\neq0$; "
        "the point $vx=0$ is treated on its own at the end of this part."))
    b.step(D(ell, v), "=", D(ell, yh) * D(yh, u) * D(u, v), why("chain rule", "chain rule"), when=off_kink)
    b.step(D(ell, yh), "=", dl_dyh, why("derivative", "differentiate $\\ell$ in $\\hat y$"), when=off_kink)
    b.step(D(yh, u), "=", sigma(u) * (1 - sigma(u)), why("derivative", "$\\sigma' = \\sigma(1-\\sigma)$"), when=off_kink)
    b.then("=", yh * (1 - yh), why("substitute", "$\\hat y = \\sigma(u)$"), when=off_kink)
    b.step(D(u, v), "=", ReLU(v * x) + v * D(ReLU(v * x), v), why("product rule", "product rule"), when=off_kink)
    b.then("=", Piecewise((2 * v * x, v * x > 0), (0, v * x < 0)),
           why("case", "$\\operatorname{ReLU}'(z) = 1$ for $z>0$, $0$ for $z<0$"), when=off_kink)
    b.step(D(ell, v), "=", dl_dyh * (yh * (1 - yh)) * (2 * v * x),
           why("chain rule", "the three factors above"), when=[Gt(v * x, 0)])
    b.then("=", grad_pos, why("algebra", "cancel $\\hat y(1-\\hat y)$"), when=[Gt(v * x, 0)])
    b.step(D(ell, v), "=", 0, why("case", "$\\partial u/\\partial v = 0$"), when=[Lt(v * x, 0)])
    with evaluate(False):
        h = b.const("h")
        quotient = (h * ReLU(h * x)) / h
    b.step(lim(quotient, h, 0, "+"), "=", 0, why("limit", "right difference quotient of $u$ at $v=0$"),
           when=[Eq(v, 0), Ne(x, 0)])
    b.step(lim(quotient, h, 0, "-"), "=", 0, why("limit", "left difference quotient of $u$ at $v=0$"),
           when=[Eq(v, 0), Ne(x, 0)],
           note=("So $u$ is differentiable at $v=0$ with $\\partial u/\\partial v = 0$ "
                 "(and $u\\equiv0$ when $x=0$): the case formula for $\\partial u/\\partial v$, "
                 "and with it $\\partial\\ell/\\partial v = (\\hat y-y)\\,2vx$ for $vx\\ge0$, "
                 "holds at $vx=0$ too."))
    b.outro("The gradient is $\\partial\\ell/\\partial v = (\\hat y-y)\\,2vx$ where $vx>0$ and $0$ where $vx<0$.")

    # (b) -------------------------------------------------------------------
    b.part("b", "The second derivative (the $1\\times1$ Hessian)", when=[Gt(v * x, 0)])
    b.step(D(ell, v, 2), "=", D(grad_pos, v), why("derivative", "differentiate (a)"))
    with evaluate(False):
        b.then("=", 2 * v * x * D(yh, v) + 2 * x * (yh - y), why("product rule", "product rule"))
        b.then("=", 2 * x * (2 * v**2 * x * yh * (1 - yh) + (yh - y)),
               why("chain rule", "$\\partial\\hat y/\\partial v = \\hat y(1-\\hat y)\\,2vx$"))
    b.then("=", hess, why("expand", "expand"))

    # (c) -------------------------------------------------------------------
    b.part("c", "Convexity: the Hessian at telling points", intro=(
        "Near $v=0$ from the right, with $x>0$ (so $vx>0$), $\\hat y\\to\\sigma(0)=\\tfrac12$:"))
    b.step(lim(hess, v, 0, "+"), "=", 2 * x * (half - y), why("limit", "$\\hat y \\to \\sigma(0)$"),
           when=[Gt(x, 0)])
    with evaluate(False):
        b.then("=", x * (1 - 2 * y), why("algebra", "algebra"), when=[Gt(x, 0)])
    b.step(x * (1 - 2 * y), "<", 0, why("sign", "$x>0$ and $1-2y<0$"), when=[Gt(x, 0), Gt(y, half)],
           note=("So for $x>0$ and $y>\\tfrac12$ the second derivative is negative for small $v>0$: "
                 "$\\ell$ is not convex in $v$."))
    with evaluate(False):
        b.step(Eq(yh, y), "iff", Eq(sigma(v**2 * x), y), why("substitute", "$u = v^2x$ when $vx>0$"),
               when=[Gt(v * x, 0)])
        b.then("iff", Eq(exp(-v**2 * x), 1 / y - 1), why("solve", "invert $\\sigma$"), when=[Gt(v * x, 0)])
        b.then("iff", Eq(v**2, root), why("solve", "take $\\log$, divide by $-x$"), when=[Gt(v * x, 0)])
    b.step(Gt(root, 0), "iff", Gt(y, half), why("solve", "$-1/x<0$ and $\\log$ is increasing"),
           when=[Gt(x, 0)],
           note=("A stationary point needs $v^2 = -\\tfrac1x\\log(\\tfrac1y-1)$ and $v^2>0$ (as $vx>0$ "
                 "needs $v\\neq0$): for $x>0$ one exists iff $y>\\tfrac12$ ..."))
    b.step(Gt(root, 0), "iff", Lt(y, half), why("solve", "$-1/x>0$ and $\\log$ is increasing"),
           when=[Lt(x, 0)],
           note=("... and for $x<0$ iff $y<\\tfrac12$; then "
                 "$v=\\pm\\sqrt{-\\tfrac1x\\log(\\tfrac1y-1)}$, the admissible sign being the sign of $x$ "
                 "so that $vx>0$."))
    b.step(hess, "=", 4 * v**2 * x**2 * (y * (1 - y)), why("substitute", "$\\hat y = y$"),
           when=[Gt(v * x, 0), Eq(yh, y)])
    b.then(">", 0, why("sign", "$vx\\neq0$, $0<y<1$"), when=[Gt(v * x, 0), Eq(yh, y)],
           note="At a stationary point the second derivative is positive: a strict local minimum.")
    b.outro("The loss has local minima (where $\\hat y=y$) but is not convex in $v$.")

    # (d) -------------------------------------------------------------------
    b.part("d", "What decides the sign", intro=(
        "By (a) and (c), the sign of the Hessian depends on the sign of the input $x$ and on $y$: "
        "near $v=0$ it is the sign of $x(1-2y)$. The scan's sub-part with "
        "$W_1=V_1,\\ W_2=V_3$ could not be recovered and is left out rather than invented."))
