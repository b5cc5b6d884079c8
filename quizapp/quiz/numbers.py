"""Read a learner's numeric answer (with units) and compare it with the expected value.

API
---
* `parse_quantity(text, hint="") -> Quantity | None` — never raises; `None` when no number is found.
* `convert(q, to_unit) -> float | None` — `None` when the dimensions differ or a unit is unknown.
* `check_numeric(text, expected, unit, tolerance) -> NumericVerdict` — relative tolerance.

Unit decisions
--------------
* Decimal SI prefixes for bytes and bits (1 GB = 10^9 B); KiB/MiB/GiB/TiB/PiB are binary.
* **Case tells bits from bytes**: ``B`` = byte, ``b`` = bit. ``Gb/s``, ``Gbps``, ``Gbit/s`` are
  gigabits per second (400 Gb/s = 50 GB/s). Bits and bytes are the same dimension (÷ 8).
* Spellings whose case does not settle it (``gb``, ``gb/s``, ``tflops`` …) are *ambiguous*: the
  reading that matches `hint` (the drill's unit) wins; without a hint, bytes beat bits and the
  FLOP/s rate beats the FLOP count. Exception: lowercase ``…bps`` (e.g. ``gbps``) always means bits.
* **FLOPs (count) and FLOPS = FLOP/s (rate) are different dimensions** and never convert.
  ``TFLOPs``/``TFLOP`` are counts, ``TFLOPS``/``TFLOP/s`` rates. ``PF-days`` is a count
  (1 PF-day = 8.64×10^19 FLOPs).
* Time: s, ms, µs/us, ns, min, h, days, years (and 秒, 毫秒, 微秒, 分钟, 小时, 天). GPU time
  (GPU-hours, GPU-days, 卡时 …) is its own dimension; `check_numeric` accepts a plain time for a
  GPU-time drill (and vice versa), saying how it read it.
* ``%`` and ``×`` (x, times, 倍) are one dimensionless "ratio" dimension (8× = 800 %).
* Multipliers before a unit: k/K, M, G, B/bn, T (B and T only before a unit or alone — a lone
  ``B`` is bytes), thousand/million/billion/trillion, and Chinese 十 百 千 万 亿 (chained:
  千万 = 10^7, 万亿 = 10^12). ``18万卡时`` = 180,000 GPU-hours.
* A **bare number takes the drill's unit**; for a ``%`` drill, a bare fraction such as 0.41 is also
  accepted as 41 %.
* Numbers: full-width digits and punctuation, ``1,979`` / ``1 979`` / thin-space thousands
  separators (a comma followed by exactly three digits), a lone decimal comma (``0,5``),
  ``1.4e10``, ``1.4×10^10``, ``1.4x10^10``, ``1.4*10**10``, ``3.15×10²³``; leading ``~ ≈ 约 about``
  and trailing ``per GPU`` / ``/GPU`` / ``每卡`` / ``左右`` are ignored.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from quizapp.deck.formulas import format_number


@dataclass(frozen=True)
class Quantity:
    value: float  # in `unit`, multipliers such as 万 or M already applied
    unit: str  # canonical spelling (see `UNITS`), "" for a bare number

    def __str__(self) -> str:
        return f"{_fmt(self.value)} {self.unit}".rstrip()


@dataclass(frozen=True)
class NumericVerdict:
    correct: bool
    parsed: Quantity | None
    value_in_unit: float | None
    message: str  # English (the only language the verdict line is shown in)


# --------------------------------------------------------------------------- unit table

UNITS: dict[str, tuple[str, float]] = {}  # canonical -> (dimension, factor to the base unit)
_EXACT: dict[str, str] = {}  # spelling -> canonical (case-sensitive)
_FOLDED: dict[str, list[str]] = {}  # casefolded spelling -> candidate canonicals, default first


def _add(canon: str, dim: str, factor: float, *aliases: str, fold: bool = True) -> None:
    UNITS[canon] = (dim, factor)
    for spelling in (canon, *aliases):
        _EXACT.setdefault(spelling, canon)
        if fold:
            cands = _FOLDED.setdefault(spelling.casefold(), [])
            if canon not in cands:
                cands.append(canon)


_SI = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_BIN = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}

_add("B", "data", 1, "byte", "bytes", "Byte", "Bytes", "字节")
_add("B/s", "data_rate", 1, "bytes/s", "Bps", fold=False)
for _p, _f in _SI.items():  # bytes first: they win a case-folded tie
    _low = "k" if _p == "K" else _p
    _add(f"{_p}B", "data", _f, f"{_low}B", f"{_p}byte", f"{_p}bytes", f"{_p}Byte", f"{_p}Bytes")
    _add(f"{_p}B/s", "data_rate", _f, f"{_low}B/s", f"{_p}Bytes/s", f"{_p}B/sec")
    _EXACT[f"{_p}Bps"] = f"{_p}B/s"
for _p, _f in _BIN.items():
    _add(f"{_p}B", "data", _f, f"{_p}byte", f"{_p}bytes")
    _add(f"{_p}B/s", "data_rate", _f)
_add("b", "data", 1 / 8, "bit", "bits", "比特")
_add("b/s", "data_rate", 1 / 8, "bit/s", "bits/s", "bps")
for _p, _f in _SI.items():
    _low = "k" if _p == "K" else _p
    _add(f"{_p}b", "data", _f / 8, f"{_low}b", f"{_p}bit", f"{_p}bits", f"{_low}bit")
    _add(f"{_p}b/s", "data_rate", _f / 8, f"{_low}b/s", f"{_p}bit/s", f"{_p}bits/s",
         f"{_low}bit/s", f"{_p}bps", f"{_low}bps")
    _FOLDED[f"{_p}bps".casefold()] = [f"{_p}b/s"]  # "gbps" is gigabits, whatever the case

_add("s", "time", 1, "sec", "secs", "second", "seconds", "秒", "秒钟")
_add("ms", "time", 1e-3, "msec", "millisecond", "milliseconds", "毫秒")
_add("µs", "time", 1e-6, "us", "μs", "microsecond", "microseconds", "微秒")
_add("ns", "time", 1e-9, "nanosecond", "nanoseconds", "纳秒")
_add("min", "time", 60, "mins", "minute", "minutes", "分钟", "分")
_add("h", "time", 3600, "hr", "hrs", "hour", "hours", "小时", "个小时", "钟头")
_add("days", "time", 86_400, "d", "day", "天", "日")
_add("years", "time", 365 * 86_400, "y", "yr", "yrs", "year", "年")
_GPU_TIME = {"s": "GPU-seconds", "h": "GPU-hours", "days": "GPU-days", "years": "GPU-years"}
for _t, _canon in _GPU_TIME.items():
    _add(_canon, "gpu_time", UNITS[_t][1])
_EXACT.update({"卡时": "GPU-hours", "卡小时": "GPU-hours", "卡天": "GPU-days", "卡日": "GPU-days",
               "卡年": "GPU-years"})

_FLOP_PREFIX = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21,
                "Y": 1e24}
for _p, _f in _FLOP_PREFIX.items():  # rate first: "tflops" defaults to the rate
    _add(f"{_p}FLOPS", "flop_rate", _f, f"{_p}FLOP/s", f"{_p}FLOPs/s", f"{_p}flop/s", f"{_p}Flop/s")
for _p, _f in _FLOP_PREFIX.items():
    _add(f"{_p}FLOPs", "flop", _f, f"{_p}FLOP", f"{_p}flop")  # "flops", "Tflops": ambiguous
_PF_DAY = 1e15 * 86_400
_add("PF-days", "flop", _PF_DAY, "PF-day", "PFday", "PFdays", "PF days", "PF day",
     "PFLOP/s-days", "PFLOP/s-day", "PFLOPS-days", "PFLOPS-day", "petaflop/s-days",
     "petaflop/s-day", "petaflop-days", "petaflop-day", "pfs-days", "pfs-day")

_add("tokens", "tokens", 1, "token", "tok", "toks", "词元", "个词元", "个token", "个tokens")
_add("tokens/s", "token_rate", 1, "token/s", "tok/s", "toks/s", "tps", "词元/s", "token/秒")
_add("requests", "requests", 1, "request", "req", "reqs", "请求", "个请求")
_add("requests/s", "request_rate", 1, "request/s", "req/s", "reqs/s", "RPS", "QPS", "queries/s")
_add("sequences", "sequences", 1, "sequence", "seqs", "seq", "samples", "sample", "序列", "条序列",
     "个序列", "条")
_add("params", "params", 1, "param", "parameters", "parameter", "参数", "个参数")
_add("GPUs", "gpus", 1, "GPU", "cards", "card", "张卡", "块卡", "卡", "张", "块", "个GPU", "块GPU",
     "张GPU")
_add("%", "ratio", 0.01, "percent", "pct", "百分比")
_add("×", "ratio", 1, "x", "X", "times", "fold", "倍")

_DIM_EN = {
    "data": "an amount of data", "data_rate": "a data rate", "time": "a time",
    "gpu_time": "GPU time (GPUs × time)", "flop": "a FLOP count (FLOPs)",
    "flop_rate": "a compute rate (FLOPS = FLOP/s)", "tokens": "a number of tokens",
    "token_rate": "a token rate", "requests": "a number of requests",
    "request_rate": "a request rate", "sequences": "a number of sequences",
    "params": "a number of parameters", "gpus": "a number of GPUs", "ratio": "a ratio",
}

_PER_SECOND = re.compile(r"\s*(?:/|per\s+|每)\s*(?:s|sec|secs|second|秒|秒钟)$", re.IGNORECASE)
_GPU_PREFIX = re.compile(r"^(?:gpu|卡)[\s\-·_]*(.+)$", re.IGNORECASE)


_KIND = {"flop": "a count", "flop_rate": "a rate"}


def unit_kind(spelling: str) -> str:
    """In two words, what a unit spelling (exact case) measures: "a rate", "a count", "bits",
    "bytes"; "" when it is no unit this table knows. For the "case matters here" verdict."""
    canon = _EXACT.get(_normalize_unit(spelling.split(" ")[-1]))
    if canon is None:
        return ""
    dim = UNITS[canon][0]
    if dim in ("data", "data_rate"):
        return "bits" if _is_bits(canon) else "bytes"
    return _KIND.get(dim, "")


def _normalize_unit(u: str) -> str:
    u = re.sub(r"\s+", " ", u.strip())
    u = re.sub(r"\s*/\s*", "/", u)
    if u.startswith("每秒"):
        u = u[2:].strip() + "/s"
    return _PER_SECOND.sub("/s", u)


def _is_bits(canon: str) -> bool:
    return canon.endswith(("b", "b/s")) and UNITS[canon][0] in ("data", "data_rate")


def resolve_unit(spelling: str, hint: str = "") -> str | None:
    """Canonical unit for `spelling`, or None. `hint` (a unit) settles ambiguous spellings."""
    u = _normalize_unit(spelling)
    if u == "":
        return ""
    if u in _EXACT:
        return _EXACT[u]
    m = _GPU_PREFIX.match(u)
    if m:
        rest = "h" if m[1] == "时" else m[1]
        t = resolve_unit(rest)
        if t in _GPU_TIME:
            return _GPU_TIME[t]
    cands = _FOLDED.get(u.casefold())
    if not cands:
        return None
    if len(cands) == 1 or not hint:
        return cands[0]
    h = resolve_unit(hint)
    if not h:
        return cands[0]
    if h in cands:
        return h
    same_dim = [c for c in cands if UNITS[c][0] == UNITS[h][0]]
    same_kind = [c for c in same_dim if _is_bits(c) == _is_bits(h)]
    return (same_kind or same_dim or cands)[0]


# --------------------------------------------------------------------------- number reading

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPER_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_TIMES_TEN = re.compile(r"(\d)\s*[x×X*·⋅∙]\s*10\s*\^\s*([+-]?\d+)")
_LONE_TEN = re.compile(r"(?<![\d.])10\s*\^\s*([+-]?\d+)")
_THOUSANDS = re.compile(r"(?<=\d)[, _'](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NUMBER = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)$", re.DOTALL)
_APPROX_HEAD = re.compile(
    r"^(?:~|≈|≃|∼|=|≥|>=|≤|<=|<|>|about|approx\.?|approximately|around|roughly|nearly|"
    r"约|大约|大概|差不多)\s*",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"\s*(?:/\s*(?:gpu|卡|device)|per\s+(?:gpu|device|card|rank)|each|左右|上下|or so|approx\.?|"
    r"每卡|每张卡|每块卡|每个\s*gpu|每块\s*gpu|每张\s*gpu)\s*$",
    re.IGNORECASE,
)
_MULT_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
               "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1e9, "T": 1e12}
_MULT = re.compile(r"^(thousand|million|billion|trillion|bn|[kKMGBT]|[十百千万亿]+)\s*(.*)$")
_CN_MULT = {"十": 1e1, "百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}


def _clean(text: str) -> str:
    s = _SUPER_RUN.sub(lambda m: "^" + m[0].translate(_SUPERSCRIPTS), text)
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("−", "-").replace("–", "-").replace("µ", "μ").replace("μs", "µs")
    s = s.replace("**", "^")
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("百分之"):
        s = s[3:] + "%"
    while True:
        t = _APPROX_HEAD.sub("", s)
        if t == s:
            break
        s = t
    s = re.sub(r"[.。!！,，;；]+$", "", s).strip()
    s = _TAIL.sub("", s).strip()
    s = _TIMES_TEN.sub(r"\1e\2", s)
    s = _LONE_TEN.sub(r"1e\1", s)
    s = _THOUSANDS.sub("", s)
    return _DECIMAL_COMMA.sub(".", s)


def parse_quantity(text: str, hint: str = "") -> Quantity | None:
    """Read "14 GB", "1.4e10 bytes", "３.１５×１０²³ FLOPs", "18万卡时" … ; None if unreadable."""
    try:
        return _parse(text, hint)
    except (ValueError, ArithmeticError, TypeError, RecursionError):
        return None


def _parse(text: str, hint: str) -> Quantity | None:
    if not isinstance(text, str) or len(text) > 200:
        return None
    m = _NUMBER.match(_clean(text))
    if not m:
        return None
    value = float(m[1])
    rest = m[2].strip()
    unit = resolve_unit(rest, hint)
    if unit is None:  # maybe a multiplier first: "8.4M tokens", "18万卡时", "2 trillion"
        mm = _MULT.match(rest)
        if not mm:
            return None
        word, rest = mm[1], mm[2].strip()
        cn = word[0] in _CN_MULT
        factor = math.prod(_CN_MULT[c] for c in word) if cn else _MULT_WORDS[word]
        unit = resolve_unit(rest, hint)
        if unit is None:
            return None
        value *= factor
    if not math.isfinite(value):
        return None
    return Quantity(value, unit)


# --------------------------------------------------------------------------- conversion


def convert(q: Quantity, to_unit: str) -> float | None:
    """`q` expressed in `to_unit`; None for unknown units or different dimensions.

    A bare number (unit "") converts only to "" — `check_numeric` gives it the drill's unit.
    """
    target = resolve_unit(to_unit, q.unit)
    source = resolve_unit(q.unit, to_unit) if q.unit else ""
    if target is None or source is None:
        return None
    if source == "" or target == "":
        return q.value if source == target else None
    (d_from, f_from), (d_to, f_to) = UNITS[source], UNITS[target]
    if d_from != d_to:
        return None
    return q.value * f_from / f_to


def within(value: float, expected: float, tolerance: float) -> bool:
    """Relative tolerance check (absolute when `expected` is 0), forgiving float round-off."""
    if expected == 0:
        return abs(value) <= tolerance
    return abs(value - expected) <= tolerance * abs(expected) * (1 + 1e-9) + 1e-12


def _fmt(x: float) -> str:
    return format_number(x)


def _pct(t: float) -> str:
    return f"{t * 100:g} %"


def check_numeric(text: str, expected: float, unit: str, tolerance: float) -> NumericVerdict:
    """Is the learner's `text` within `tolerance` (relative) of `expected` `unit`?"""
    q = parse_quantity(text, hint=unit)
    if q is None:
        return NumericVerdict(
            False, None, None,
            f"could not read a number — type e.g. “13.5” or “13.5 {unit}”",
        )
    target = resolve_unit(unit) or ""
    notes: list[str] = []
    if q.unit == "":
        value: float | None = q.value
    else:
        value = convert(q, unit)
        if value is None and target:
            dims = {UNITS[resolve_unit(q.unit) or target][0], UNITS[target][0]}
            if dims == {"time", "gpu_time"}:
                value = q.value * UNITS[q.unit][1] / UNITS[target][1]
                notes.append(f"read {q} as {_fmt(value)} {unit}")
    if value is None:
        given, want = UNITS[q.unit][0], UNITS[target][0] if target else ""
        message = (f"unit {unit} expected, you gave {q.unit}: that is {_DIM_EN.get(given, given)}, "
                   f"not {_DIM_EN.get(want, want)}")
        if {given, want} == {"flop", "flop_rate"}:
            message += " (FLOPs counts operations; FLOPS = FLOP/s is operations per second)"
        return NumericVerdict(False, q, None, message)

    correct = within(value, expected, tolerance)
    if not correct and q.unit == "" and target == "%" and within(value * 100, expected, tolerance):
        value, correct = value * 100, True
        notes.append(f"read {_fmt(q.value)} as {_fmt(value)} %")
    if q.unit and target and q.unit != target:
        factor = UNITS[q.unit][1] / UNITS[target][1]
        if _is_bits(q.unit) != _is_bits(target) and not correct:
            relation = f"{_fmt(1 / factor)}× smaller" if factor < 1 else f"{_fmt(factor)}× larger"
            notes.append(f"unit {unit} expected, you gave {q.unit} (1 {q.unit} "
                         f"= {_fmt(factor)} {unit}, {relation}); bits (b) ≠ bytes (B)")
        elif not notes:
            notes.append(f"{q} = {_fmt(value)} {unit}")
    if not correct and expected and value and not notes and math.isfinite(value / expected) \
            and value / expected != 0:
        ratio = value / expected
        r = ratio if ratio >= 1 else 1 / ratio
        way = "too large" if ratio > 1 else "too small"
        for k, why in (
            (8, "bits vs bytes?"),
            (1000, "check the prefix (k, M, G, T)"),
            (1e6, "check the prefix (k, M, G, T)"),
            (1e9, "check the prefix (k, M, G, T)"),
            (2, "a factor of 2 — sparse vs dense, K and V, or 2 bytes?"),
            (2**30 / 1e9, "GB vs GiB (1 GiB = 1.074 GB)"),
        ):
            if within(r, k, max(tolerance, 0.02)):
                notes.append(f"{_fmt(k)}× {way}: {why}")
                break

    shown = f"{_fmt(value)} {unit}".rstrip()
    want = f"{_fmt(expected)} {unit}".rstrip()
    if correct:
        message = f"correct: {shown} (expected {want}, within {_pct(tolerance)})"
    else:
        message = f"not within {_pct(tolerance)}: you gave {shown}, expected {want}"
    if notes:
        message += "; " + "; ".join(notes)
    return NumericVerdict(correct, q, value, message)
