"""R's printing rules, ported so that summaries print digit for digit as R prints them.

Students compare our output with R's side by side, so "close" is not enough: a column that R
shows as ``36.838`` must not appear as ``36.84``. Each function names the R function it ports
(R 4.2: src/main/format.c formatReal/scientific, src/main/printmatrix.c, stats::printCoefmat,
base::format.pval, zapsmall, abbreviate, strwrap, cat(fill = TRUE)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "r_round",
    "zapsmall",
    "format_real",
    "format_number",
    "format_pval",
    "signif_codes",
    "abbreviate",
    "strwrap",
    "cat_fill",
    "print_named",
    "print_matrix",
    "print_coefmat",
    "WIDTH",
    "SIGNIF_LEGEND",
]

WIDTH = 80  # options(width = 80), as in the reference script
EPS = 2.220446049250313e-16  # .Machine$double.eps, format.pval's default
# sQuote()d in a UTF-8 locale, as R printed it
SIGNIF_LEGEND = " ".join(f"{cut} \u2018{code}\u2019"
                         for cut, code in zip((0, 0.001, 0.01, 0.05, 0.1),
                                              ("***", "**", "*", ".", " "), strict=True)) + " 1"


# ----- numbers ---------------------------------------------------------------------------
def r_round(x: float, digits: float = 0) -> float:
    """R >= 4.0's round(x, digits): the closer of the two candidates, ties to even."""
    if not math.isfinite(x) or x == 0.0:
        return x
    dig = math.floor(digits + 0.5)
    sgn, ax = (-1.0, -x) if x < 0 else (1.0, x)
    if dig + (math.frexp(ax)[1] - 0.5) * math.log10(2) > 15:
        return x
    p10 = 10.0**dig
    x10 = p10 * ax
    i10 = math.floor(x10)
    xd, xu = i10 / p10, math.ceil(x10) / p10
    du, dd = xu - ax, ax - xd
    return sgn * (xu if du < dd or (du == dd and i10 % 2 == 1) else xd)


def zapsmall(values: Sequence[float], digits: int) -> list[float]:
    """base::zapsmall: round all values to `digits` significant digits of the largest."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    mx = max(finite, default=0.0)
    dig = max(0.0, digits - math.log10(mx)) if mx > 0 else digits
    return [r_round(v, dig) for v in values]


def _scientific(x: float, digits: int) -> tuple[bool, int, int, bool]:
    """format.c's scientific(): sign, exponent, significant digits, rounding widens.

    The scaling is done in double precision: R 4.2.2 as built for the references formats
    99.995 with 4 digits as "100", which only double (not long double) scaling gives.
    """
    if x == 0.0:
        return False, 0, 1, False
    r = abs(x)
    kp = math.floor(math.log10(r)) - digits + 1
    # exact powers of ten (up to 1e22) multiply rather than divide, as R does
    r_prec = r * 10.0**-kp if -22 <= kp < 0 else r / 10.0**kp
    if r_prec < 10.0 ** (digits - 1):
        r_prec, kp = r_prec * 10.0, kp - 1
    alpha = round(r_prec)  # Python rounds half to even, as nearbyint does
    nsig = digits
    while nsig > 0 and alpha % 10 == 0:
        alpha //= 10
        nsig -= 1
    if nsig == 0:
        nsig, kp = 1, kp + 1
    kpower = kp + digits - 1
    rgt = min(max(digits - kpower, 0), 27)
    widens = 0 < kpower <= 27 and r < 10.0**kpower - 0.5 / 10.0**rgt
    return x < 0, kpower, nsig, widens


def format_real(values: Sequence[float], digits: int = 7, nsmall: int = 0) -> list[str]:
    """format(x, digits, nsmall) for a numeric vector: one common fixed or sci layout."""
    values = [float(v) for v in values]
    finite = [v for v in values if math.isfinite(v)]
    rgt = mxsl = mxns = mxl = -(10**9)
    mnl, neg = 10**9, False
    for v in finite:
        neg_i, kpower, nsig, widens = _scientific(v, digits)
        left = kpower + 1 - widens
        rgt = max(rgt, nsig - left)
        mxl, mnl = max(mxl, left), min(mnl, left)
        mxsl = max(mxsl, neg_i + max(left, 1))
        mxns = max(mxns, nsig)
        neg = neg or neg_i
    if mxl < 0:
        mxsl = 1 + neg
    rgt = max(rgt, 0)
    e = 2 if (mxl > 100 or mnl <= -99) else 1
    sig = mxns - 1
    fixed = not finite or mxsl + rgt + (rgt != 0) <= neg + (sig > 0) + sig + 4 + e
    dec = max(rgt, nsmall)
    width = mxsl + dec + (dec != 0) if fixed else neg + (sig > 0) + sig + 4 + e
    out = [_encode(v, fixed, dec, sig) for v in values]
    width = max([width] + [len(s) for s in out])
    return [s.rjust(width) for s in out]


def _encode(v: float, fixed: bool, dec: int, sig: int) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    v = v + 0.0  # R prints a negative zero as 0
    return f"{v:.{dec}f}" if fixed else f"{v:.{sig}e}"


def format_number(x: float, digits: int = 7) -> str:
    """One number as cat() prints it: up to `digits` significant digits, no padding."""
    return format_real([x], digits)[0].strip()


def format_pval(pvals: Sequence[float], digits: int, eps: float = EPS) -> list[str]:
    """base::format.pval: fixed for p >= 1e-4 (with digits > 1), else sci; '< eps' below."""
    out = [""] * len(pvals)
    small = [i for i, p in enumerate(pvals) if p < eps]
    rest = [i for i, p in enumerate(pvals) if p >= eps]
    expo = {i: math.floor(math.log10(pvals[i])) if pvals[i] > 0 else -50 for i in rest}
    fixp = [i for i in rest if expo[i] >= -3 or (expo[i] == -4 and digits > 1)]
    for group in (fixp, [i for i in rest if i not in fixp]):
        for i, s in zip(group, format_real([pvals[i] for i in group], digits), strict=True):
            out[i] = s
    if small:
        dig = max(1, digits - 2)
        if rest:
            nc = max(len(out[i]) for i in rest)
            if dig > 1 and dig + 6 > nc:
                dig = max(1, nc - 7)
            sep = "" if dig == 1 and nc <= 6 else " "
        else:
            sep = "" if dig == 1 else " "
        for i in small:
            out[i] = "<" + sep + format_number(eps, dig)
    return out


def signif_codes(pvals: Sequence[float]) -> list[str]:
    """symnum() stars for p-values at the cut points 0.001, 0.01, 0.05, 0.1."""
    cuts = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."), (1.0, " "))
    return [next((s for c, s in cuts if p <= c), " ") if math.isfinite(p) else ""
            for p in pvals]


# ----- text --------------------------------------------------------------------------------
def _abbreviate_one(name: str, minlength: int) -> str:
    """The C routine behind abbreviate(): drop lower-case vowels, then lower case, from the end."""
    s = list(name.strip())

    def done() -> str:  # inner spaces go only if the result is still too long
        return "".join(c for c in s if not c.isspace()) if len(s) > minlength else "".join(s)

    nspace = sum(c.isspace() for c in s)
    if len(s) < minlength or len(s) - nspace <= minlength:
        return done()
    upper = len(s) - 1

    def first(i):  # first character of a word
        return s[i - 1].isspace()

    def last(i):  # last character of a word of two or more
        return not s[i - 1].isspace() and (i + 1 >= len(s) or s[i + 1].isspace())

    rules = (lambda i: s[i] in "aeiou" and last(i), lambda i: s[i] in "aeiou" and not first(i),
             lambda i: s[i].islower() and last(i), lambda i: s[i].islower() and not first(i),
             lambda i: not first(i) and not s[i].isspace())
    for rule in rules:
        for i in range(upper, 0, -1):
            if i < len(s) and rule(i):
                del s[i]
            if len(s) - nspace <= minlength:
                return done()
    return done()


def abbreviate(names: Sequence[str], minlength: int) -> list[str]:
    """base::abbreviate (method "left.kept"): lengthen clashing abbreviations until unique."""
    unique = list(dict.fromkeys(names))
    out = [_abbreviate_one(n, minlength) for n in unique]
    redo = _clashes(out)
    length = minlength
    while redo:
        length += 1
        for i in redo:
            out[i] = _abbreviate_one(unique[i], length)
        redo = _clashes(out)
    short = dict(zip(unique, out, strict=True))
    return [short[n] for n in names]


def _clashes(abbrevs: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    for a in abbrevs:
        seen[a] = seen.get(a, 0) + 1
    return [i for i, a in enumerate(abbrevs) if seen[a] > 1]


def strwrap(text: str, width: int, exdent: int = 0) -> list[str]:
    """base::strwrap: greedy lines shorter than `width`, later lines indented by `exdent`."""
    lines, current, limit = [], [], width - 1
    for word in text.split():
        candidate = " ".join([*current, word])
        if current and len(candidate) > limit:
            lines.append(" ".join(current))
            current, limit = [word], width - 1 - exdent
        else:
            current.append(word)
    lines.append(" ".join(current))
    return [lines[0]] + [" " * exdent + line for line in lines[1:]]


def cat_fill(items: Sequence[str], sep: str = " ", width: int = WIDTH) -> list[str]:
    """cat(..., sep, fill = TRUE): items joined by sep, a new line before one that overflows."""
    lines, line, used = [], "", 0
    for k, item in enumerate(items):
        if k > 0:
            line += sep
            if used + len(item) + len(sep) > width:
                lines.append(line)
                line, used = "", 0
        line += item
        used += len(item) + len(sep)
    return [*lines, line]


def print_named(names: Sequence[str], cells: Sequence[str], width: int = WIDTH) -> list[str]:
    """print() of a named vector: right-aligned columns, each followed by one space."""
    w = max([len(s) for s in cells] + [len(n) for n in names])
    per_line = max(1, width // (w + 1))
    lines = []
    for start in range(0, len(cells), per_line):
        chunk = slice(start, start + per_line)
        lines.append("".join(f"{n:>{w}} " for n in names[chunk]))
        lines.append("".join(f"{c:>{w}} " for c in cells[chunk]))
    return lines


def print_matrix(cells: Sequence[Sequence[str]], row_labels: Sequence[str],
                 col_labels: Sequence[str], right: bool, width: int = WIDTH) -> list[str]:
    """print() of a character matrix (quote = FALSE), wrapping columns at `width`."""
    ncol = len(col_labels)
    rlabw = max((len(r) for r in row_labels), default=0)
    w = [max([len(col_labels[j])] + [len(row[j]) for row in cells]) for j in range(ncol)]
    lines, jmin = [], 0
    while jmin < ncol:
        jmax, used = jmin + 1, rlabw + w[jmin] + 1
        while jmax < ncol and used + w[jmax] + 1 < width:
            used += w[jmax] + 1
            jmax += 1
        cols = range(jmin, jmax)
        lines.append(" " * rlabw + "".join(" " + _align(col_labels[j], w[j], right)
                                             for j in cols))
        for label, row in zip(row_labels, cells, strict=True):
            lines.append(label.ljust(rlabw) + "".join(" " + _align(row[j], w[j], right)
                                                         for j in cols))
        jmin = jmax
    return lines


def _align(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


# ----- stats::printCoefmat -------------------------------------------------------------------
def print_coefmat(table: pd.DataFrame, digits: int = 4, stars: bool = True) -> list[str]:
    """stats::printCoefmat as lme4 calls it (no zap.ind); p-values if the last column is Pr(."""
    names = [str(c) for c in table.columns]
    x = table.to_numpy(dtype=float)
    has_p = len(names) >= 4 and names[-1][:3] in ("Pr(", "p-v")
    k = len(names) - has_p - 1
    cells = np.full(x.shape, "", dtype=object)
    cells[:, :k] = _coef_se_cells(x[:, :k], digits)
    dig_tst = max(1, min(5, digits - 1))
    cells[:, k] = format_real([r_round(v, dig_tst) for v in x[:, k]], digits)
    cells[np.isnan(x)] = "NA"
    labels, legend = names, []
    if has_p:
        pv = x[:, -1]
        ok = ~np.isnan(pv)
        cells[ok, -1] = format_pval(list(pv[ok]), dig_tst)
        if stars and np.any(pv[ok] < 0.1):
            codes = signif_codes(list(pv))
            w = max(len(c) for c in codes)
            cells = np.column_stack([cells, [c.ljust(w) for c in codes]])
            labels = [*names, ""]
            legend = ["---", "Signif. codes:  " + SIGNIF_LEGEND]
    rows = [str(i) for i in table.index]
    return print_matrix(cells.tolist(), rows, labels, right=True) + legend


def _coef_se_cells(cs: np.ndarray, digits: int) -> np.ndarray:
    """Estimates and standard errors (and df) share one format, rounded to fit the smallest."""
    acs = np.abs(cs[np.isfinite(cs) & (cs != 0)])
    digmin = 1 + (np.floor(np.log10([acs.min(), acs.max()])) if acs.size else np.zeros(1))
    dec = max(1, int(digits - digmin.min()))
    flat = cs.flatten(order="F")
    out = np.array(format_real([r_round(v, dec) for v in flat], digits), dtype=object)
    shown = np.array([float(s) if s.strip() not in ("NA", "NaN") else np.nan for s in out])
    fix = np.flatnonzero((flat != 0) & (shown == 0))
    if fix.size:
        out[fix] = format_real(list(flat[fix]), max(1, digits - 1))
    return out.reshape(cs.shape, order="F")
