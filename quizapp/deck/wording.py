"""Size labels for drill templates that read naturally in both languages.

Chinese writes large counts in 亿 (10^8) and 万亿 (10^12), so "70B parameters" is "700 亿（70B）参数",
not a literal "70B（十亿）"; English writes 70B and, for token counts, switches to T at a trillion.
Formulas whose inputs include `params_b` or `tokens_b` (both in billions) get these labels as extra
outputs, so a template never has to spell a number's size word itself.
"""

from __future__ import annotations


def _plain(x: float) -> str:
    """1750.0 → "1750", 67.39999 → "67.4": no separators, as a size label is written."""
    return f"{round(x, 6):g}"


def billions_en(b: float) -> str:
    """6.74 → "6.74B", 2000 → "2T"."""
    return f"{_plain(b / 1000)}T" if b >= 1000 else f"{_plain(b)}B"


def billions_zh(b: float) -> str:
    """70 → "700 亿（70B）", 1400 → "1.4 万亿（1.4T）"."""
    words = f"{_plain(b / 1000)} 万亿" if b >= 1000 else f"{_plain(b * 10)} 亿"
    return f"{words}（{billions_en(b)}）"


LABELS = {
    "params_b": ("params_en", "params_zh"),
    "tokens_b": ("tokens_en", "tokens_zh"),
}


def labels(params: dict[str, object]) -> dict[str, str]:
    """The size labels for whichever of `params_b` / `tokens_b` a formula was given."""
    out: dict[str, str] = {}
    for name, (en, zh) in LABELS.items():
        value = params.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[en], out[zh] = billions_en(float(value)), billions_zh(float(value))
    return out
