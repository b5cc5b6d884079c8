"""Estimation drills: draw parameters, compute the answer, fill in prompt and worked solution."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.deck.formulas import FORMULAS, format_number, show_value
from quizapp.deck.model import Drill
from quizapp.quiz.bilingual import Text


@dataclass(frozen=True)
class RenderedDrill:
    prompt: Text
    solution: Text
    answer: float
    answer_text: str


def render_drill(drill: Drill, params: dict[str, object]) -> RenderedDrill:
    outputs = FORMULAS[drill.formula].func(**params)
    values = {k: show_value(v) for k, v in {**params, **outputs}.items()}
    answer = float(outputs["answer"])
    answer_text = f"{format_number(answer)} {drill.unit}".strip()
    return RenderedDrill(
        prompt=Text(drill.prompt_en.format(**values), drill.prompt_zh.format(**values)),
        solution=Text(drill.solution_en.format(**values), drill.solution_zh.format(**values)),
        answer=answer,
        answer_text=answer_text,
    )

