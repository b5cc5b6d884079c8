"""Estimation drills: draw parameters, compute the answer, fill in prompt and worked solution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.deck.formulas import FORMULAS, format_number
from quizapp.deck.model import Drill


@dataclass(frozen=True)
class RenderedDrill:
    prompt: Any  # questions.Text (imported lazily to avoid a cycle)
    solution: Any
    answer: float
    answer_text: str


def render_drill(drill: Drill, params: dict[str, object]) -> RenderedDrill:
    from quizapp.quiz.questions import Text

    outputs = FORMULAS[drill.formula].func(**params)
    values = {k: _show(v) for k, v in {**params, **outputs}.items()}
    answer = float(outputs["answer"])
    answer_text = f"{format_number(answer)} {drill.unit}".strip()
    return RenderedDrill(
        prompt=Text(drill.prompt_en.format(**values), drill.prompt_zh.format(**values)),
        solution=Text(drill.solution_en.format(**values), drill.solution_zh.format(**values)),
        answer=answer,
        answer_text=answer_text,
    )


def _show(value: object) -> object:
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
        return format_number(float(value))
    return value
