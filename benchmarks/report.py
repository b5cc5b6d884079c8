"""One table (figure, quizapp, Anki, ratio) and the same as JSON."""

from __future__ import annotations

import contextlib
import json
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

FIGURES = (
    "cold_start_first_card",
    "cold_start_first_card_bundled",
    "textual_floor",
    "due_command",
    "per_answer",
    "per_answer_normal",
    "queue_build",
    "statistics",
    "export_apkg",
    "export_apkg_progress",
    "switch_to_fsrs",
    "switch_to_sm2",
    "model_comparison",
    "peak_rss",
    "per_answer_pg",
    "statistics_pg",
)
"""Every figure a run reports (the test checks each is present with numbers)."""


@dataclass
class Figure:
    key: str
    label: str
    unit: str  # "ms" or "MB"
    quizapp: list[float] | None = None  # raw samples (seconds for times, MB for memory)
    anki: list[float] | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @staticmethod
    def _stats(values: list[float] | None, unit: str) -> dict[str, float] | None:
        if not values:
            return None
        from benchmarks.inproc import percentile

        scale = 1000.0 if unit == "ms" else 1.0
        ordered = sorted(values)
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
        return {"median": round(median * scale, 3), "p99": round(percentile(values, 99) * scale, 3),
                "max": round(ordered[-1] * scale, 3), "n": len(values)}

    def as_dict(self) -> dict[str, object]:
        q, a = self._stats(self.quizapp, self.unit), self._stats(self.anki, self.unit)
        ratio = ratio_p99 = None
        if q and a and a["median"] > 0:
            ratio = round(q["median"] / a["median"], 2)
            ratio_p99 = round(q["p99"] / a["p99"], 2) if a["p99"] > 0 else None
        return {"key": self.key, "label": self.label, "unit": self.unit, "quizapp": q, "anki": a,
                "ratio": ratio, "ratio_p99": ratio_p99, "note": self.note, **self.extra}


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    with contextlib.suppress(ValueError, OSError):
        mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    versions = {}
    for name in ("textual", "sqlalchemy", "genanki", "anki"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib,
            "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": __import__("sqlite3").sqlite_version, **versions}


def _cell(stats: dict[str, float] | None, unit: str) -> str:
    if not stats:
        return "—"
    if unit == "MB":
        return f"{stats['median']:.0f} / {stats['max']:.0f}"
    return f"{_ms(stats['median'])} / {_ms(stats['p99'])}"


def _ms(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: list[dict[str, object]]) -> str:
    head = ("figure", "quizapp median / p99", "Anki median / p99", "ratio", "n", "note")
    rows = [head]
    for f in figures:
        unit = str(f["unit"])
        label = f"{f['label']} ({'MB: median / max' if unit == 'MB' else 'ms'})"
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}×"
        if f["ratio_p99"] is not None and unit == "ms":
            ratio += f" (p99 {f['ratio_p99']:.2f}×)"
        q, a = f["quizapp"], f["anki"]
        n = "/".join(str(s["n"]) for s in (q, a) if s)  # type: ignore[index]
        rows.append((label, _cell(q, unit), _cell(a, unit), ratio, n, str(f["note"])))  # type: ignore[arg-type]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def write_json(path: Path, payload: dict[str, object]) -> None:
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
