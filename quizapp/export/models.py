"""Anki note types for the export: fixed ids, field and template ids, templates per front language.

Anki matches note types by id and treats any change to the field or template *list* as a schema
change (every existing note then conflicts). So:

* every model, field and template below has a fixed id, written out literally — never derive
  them from names, and never reuse one;
* fields are matched by id, so renaming one is not a schema change (the `FrontEn` / `FrontZh`
  flags of quizapp ≤ 0.1 became `Hint` / `Letter` and `Personal notes` that way); new fields are only ever
  appended at the end of a model's list; fields are never removed or reordered;
* `MODELS_MOD` is the modification time every model is exported with. Anki replaces a note type it
  already has (templates, styling, field names) only when this is newer, so bump it (to the current
  Unix time) whenever a template or the CSS changes — `tests/export` fails until
  `MODELS_FINGERPRINT` is updated with it.

The front language (`--lang`) lives in the templates, never in the notes: a note update can never
switch a learner's fronts back, and the note types change only when `MODELS_MOD` is bumped.

Nothing here imports genanki; `apkg.py` turns these specs into genanki models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from quizapp.export.style import CSS

MODELS_MOD = 1796160000  # bump whenever templates or CSS change (see module docstring)
MODELS_FINGERPRINT = "5b2875eb95aa9ecc"  # checked by tests; update together with MODELS_MOD
LANGS = ("en", "zh", "both")
PERSONAL = "Personal notes"  # the learner's own field: quizapp never fills it


@dataclass(frozen=True)
class FieldSpec:
    name: str
    id: int


def _fields(names: tuple[str, ...], ids: tuple[int, ...]) -> tuple[FieldSpec, ...]:
    """Pair field names with their fixed Anki ids; a length mismatch is a programming error."""
    return tuple(FieldSpec(name, ident) for name, ident in zip(names, ids, strict=True))


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    id: int
    front: str
    back: str


@dataclass(frozen=True)
class ModelSpec:
    key: str  # term | trap | scenario | drill
    id: int
    name: str
    fields: tuple[FieldSpec, ...]
    templates: tuple[TemplateSpec, ...]
    sort_field: int = 0

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# -- template pieces -------------------------------------------------------------------------------
_META = '<div class="qz-meta"><span class="qz-chip">{{Category}} · {{CategoryZh}}</span></div>'
_HINT = '{{#Hint}}<div class="qz-hint">{{hint:Hint}}</div>{{/Hint}}'
_PERSONAL = (f'{{{{#{PERSONAL}}}}}<div class="qz-personal"><div class="qz-extra-title">'
             f'My notes · 我的笔记</div>{{{{{PERSONAL}}}}}</div>{{{{/{PERSONAL}}}}}')
_SOURCE = '{{#Source}}<div class="qz-source">{{Source}}</div>{{/Source}}'


def _front(en: str, zh: str, lang: str) -> str:
    """The front's own text in the chosen language(s)."""
    parts = []
    if lang in ("en", "both"):
        parts.append(f'<div class="en">{{{{{en}}}}}</div>')
    if lang in ("zh", "both"):
        parts.append(f'<div class="zh">{{{{{zh}}}}}</div>')
    return "".join(parts)


def _both(en: str, zh: str) -> str:
    return (f'{{{{#{en}}}}}<div><div class="en">{{{{{en}}}}}</div>'
            f'{{{{#{zh}}}}}<div class="zh">{{{{{zh}}}}}</div>{{{{/{zh}}}}}</div>{{{{/{en}}}}}')


def _open(lang: str) -> str:
    return f'<div class="qz qz-lang-{lang}">' + _META


def _back(answer: str, recap: str, extra: str) -> str:
    """Answer first (a phone shows it without scrolling), then what was asked, then the detail."""
    return ('<div class="qz qz-back">' + _META + '<hr id="answer">' + answer
            + f'<div class="qz-recap">{recap}</div>'
            + '<div class="qz-extra"><div class="qz-extra-title">Extra · 详解</div>' + extra
            + _SOURCE + '</div>' + _PERSONAL + '</div>')


_TERM_EXTRA = (_both("Explanation", "ExplanationZh")
               + '{{#Facts}}<div class="qz-box">{{Facts}}{{FactsZh}}</div>{{/Facts}}')


def _term_templates(lang: str) -> tuple[TemplateSpec, ...]:
    return (
        TemplateSpec(
            "Definition → Term", 783823438393925777,
            front=(_open(lang) + '<div class="qz-ask">Name the term · 说出术语</div>'
                   + '<div class="qz-main">' + _front("Definition", "DefinitionZh", lang) + '</div>'
                   + _HINT + '</div>'),
            back=_back('<div class="qz-answer qz-term"><div class="en">{{Term}}</div>'
                       '<div class="zh">{{TermZh}}</div></div>'
                       '{{#Aliases}}<div class="qz-muted">{{Aliases}}</div>{{/Aliases}}',
                       _both("Definition", "DefinitionZh"), _TERM_EXTRA),
        ),
        TemplateSpec(
            "Term → Definition", 2036483709246906112,
            front=(_open(lang) + '<div class="qz-ask">Define the term · 解释术语</div>'
                   + '<div class="qz-term">' + _front("Term", "TermZh", lang) + '</div></div>'),
            back=_back('<div class="qz-answer qz-def"><div class="en">{{Definition}}</div>'
                       '<div class="zh">{{DefinitionZh}}</div></div>',
                       '{{Term}} · {{TermZh}}', _TERM_EXTRA),
        ),
    )


def _choice_template(name: str, ident: int, ask: str, why: tuple[str, str], lang: str
                     ) -> TemplateSpec:
    return TemplateSpec(
        name, ident,
        front=(_open(lang) + f'<div class="qz-ask">{ask}</div>'
               + '<div class="qz-main">' + _front("Prompt", "PromptZh", lang) + '</div>'
               + '<div class="qz-sub qz-options">{{Options}}</div></div>'),
        back=_back('<div class="qz-answer">{{#Letter}}<span class="qz-letter">{{Letter}}</span> '
                   '{{/Letter}}{{Answer}}</div>',
                   _both("Prompt", "PromptZh") + '<div class="qz-options">{{Options}}</div>',
                   _both(*why)),
    )


def _drill_template(lang: str) -> TemplateSpec:
    return TemplateSpec(
        "Estimate", 484251236247696853,
        front=(_open(lang)
               + '<div class="qz-ask">Estimate · 估算 <span class="qz-muted">({{Example}})</span></div>'
               + '<div class="qz-main">' + _front("Prompt", "PromptZh", lang) + '</div>'
               + _HINT + '</div>'),
        back=_back('<div class="qz-answer">{{Answer}}</div>'
                   '{{#Tolerance}}<div class="qz-muted">{{Tolerance}}</div>{{/Tolerance}}',
                   _both("Prompt", "PromptZh"),
                   '<div class="qz-box">' + _both("Solution", "SolutionZh") + '</div>'
                   '<div class="qz-sub">' + _both("Explanation", "ExplanationZh") + '</div>'),
    )


# -- the note types --------------------------------------------------------------------------------
_TERM_FIELDS = _fields(
    ("Term", "TermZh", "Definition", "DefinitionZh", "Explanation", "ExplanationZh", "Facts",
     "FactsZh", "Aliases", "Category", "CategoryZh", "Source", "Hint", PERSONAL, "QuizappId"),
    (1442805336768848101, 1860580186137136416, 4556481998468985890, 1579321654464657082,
     1312834757135500183, 4244154931679276594, 68910715204399054, 853397798273371443,
     4168722558046825915, 2391524471688623031, 128956455972928491, 340311626702257913,
     431329411000193190, 2196575891999467408, 2144835350022941120),
)
_CHOICE_FIELDS = ("Prompt", "PromptZh", "Options", "Answer")
_CHOICE_TAIL = ("Category", "CategoryZh", "Source", "Letter", PERSONAL, "QuizappId")
_TRAP_FIELDS = _fields(
    (*_CHOICE_FIELDS, "Explanation", "ExplanationZh", *_CHOICE_TAIL),
    (1320678159255041021, 1834589263884830640, 4596890887371249044, 3306072376517959362,
     1664321900903864840, 1920563561253896714, 684784342390314648, 3574582883086681941,
     4516644139599458895, 4534990612643261923, 1885599169781998654, 3635397287926651751),
)
_SCENARIO_FIELDS = _fields(
    (*_CHOICE_FIELDS, "Reason", "ReasonZh", *_CHOICE_TAIL),
    (1599099651254956787, 3727668928403916705, 1732399539339608162, 1635017596258203323,
     4121771855163681381, 4604832212712991279, 2551249870552247497, 2344062579684457763,
     556824740362721411, 3077117359236116020, 3406342598717591401, 3991955455763665989),
)
_DRILL_FIELDS = _fields(
    ("Prompt", "PromptZh", "Answer", "Tolerance", "Solution", "SolutionZh", "Explanation",
     "ExplanationZh", "Example", "Category", "CategoryZh", "Source", "Hint", PERSONAL,
     "QuizappId"),
    (3239382587955585136, 4359797177337918839, 4125979227794369340, 640106913207037954,
     795986046482225349, 2939764686728868110, 4535618368794590998, 936720691825721194,
     1646481759755459984, 2915257983917713425, 812756605924349954, 2049304889860413835,
     3483018552178168640, 1127425352584500718, 1593363326620922830),
)


def models_for(lang: str = "both") -> dict[str, ModelSpec]:
    """The four note types with fronts in `lang` (en, zh or both); ids never depend on it."""
    return {m.key: m for m in (
        ModelSpec("term", 1095275305, "quizapp · term", _TERM_FIELDS, _term_templates(lang)),
        ModelSpec("trap", 1210811969, "quizapp · trap", _TRAP_FIELDS, (_choice_template(
            "Trap", 176176495195302638, "Which one? · 是哪一个？",
            ("Explanation", "ExplanationZh"), lang),)),
        ModelSpec("scenario", 1126872845, "quizapp · scenario", _SCENARIO_FIELDS, (
            _choice_template("Scenario", 52498182996708476, "What fits best? · 哪个最合适？",
                             ("Reason", "ReasonZh"), lang),)),
        ModelSpec("drill", 1312691392, "quizapp · estimation", _DRILL_FIELDS,
                  (_drill_template(lang),)),
    )}


MODELS: dict[str, ModelSpec] = models_for("both")
TERM, TRAP, SCENARIO, DRILL = (MODELS[k] for k in ("term", "trap", "scenario", "drill"))


def fingerprint() -> str:
    """A hash of everything Anki sees in the note types, in every front language; tests compare
    it to MODELS_FINGERPRINT."""
    blob = json.dumps([CSS, [[[m.id, m.name, m.sort_field,
                               [[f.name, f.id] for f in m.fields],
                               [[t.name, t.id, t.front, t.back] for t in m.templates]]
                              for m in models_for(lang).values()] for lang in LANGS]],
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
