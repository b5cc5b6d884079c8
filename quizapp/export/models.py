"""Anki note types for the export: fixed ids, field and template ids, shared CSS.

Anki matches note types by id and treats any change to the field or template *list* as a schema
change (every existing note then conflicts). So:

* every model, field and template below has a fixed id, written out literally — never derive
  them from names, and never reuse one;
* new fields are only ever appended at the end of a model's list; fields are never removed or
  reordered (an unused field can stay empty);
* `MODELS_MOD` is the modification time every model is exported with. Anki updates a note type it
  already has only when this is newer, so bump it (to the current Unix time) whenever a template or
  the CSS changes — `tests/export` fails until `MODELS_FINGERPRINT` is updated with it.

Nothing here imports genanki; `apkg.py` turns these specs into genanki models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

MODELS_MOD = 1795607934  # bump whenever templates or CSS change (see module docstring)
MODELS_FINGERPRINT = "cd7690ef4cab21dc"  # checked by tests; update together with MODELS_MOD


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


CSS = """\
.card {
  --q-fg: #1f2328; --q-muted: #5f6670; --q-accent: #1f6feb; --q-rule: #d0d7de;
  --q-chip: #eef3fb; --q-chip-fg: #33507a; --q-good: #1a7f37; --q-box: #f6f8fa;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  font-size: 20px; line-height: 1.55; text-align: left;
  color: var(--q-fg); background-color: transparent;
  overflow-wrap: anywhere;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --q-fg: #e6e6e6; --q-muted: #a8b0ba; --q-accent: #6ca4ff; --q-rule: #444c56;
  --q-chip: #2b3340; --q-chip-fg: #c5d5ee; --q-good: #56d364; --q-box: #262b33;
}
.qz { max-width: 38em; margin: 0 auto; padding: 0.8em 1em; }
.qz-meta { margin-bottom: 0.6em; }
.qz-chip { display: inline-block; font-size: 0.68em; padding: 0.1em 0.6em; border-radius: 1em;
  background: var(--q-chip); color: var(--q-chip-fg); }
.qz-ask { font-size: 0.8em; color: var(--q-muted); margin-bottom: 0.3em; }
.qz-main { font-size: 1.1em; }
.qz-main .zh, .qz-sub .zh { margin-top: 0.25em; }
.qz-term { font-size: 1.35em; font-weight: 600; color: var(--q-accent); }
.qz-sub { margin-top: 0.6em; }
.qz-muted, .qz-source { color: var(--q-muted); font-size: 0.8em; }
.qz-answer { font-weight: 600; color: var(--q-good); font-size: 1.15em; }
.qz-box { background: var(--q-box); border-radius: 0.4em; padding: 0.5em 0.8em; margin-top: 0.6em; }
.qz ol, .qz ul { margin: 0.4em 0; padding-left: 1.6em; }
.qz li { margin: 0.15em 0; }
hr#answer { border: 0; border-top: 1px solid var(--q-rule); margin: 1em 0; }
@media (max-width: 480px) {
  .card { font-size: 17px; }
  .qz { padding: 0.5em 0.6em; }
  .qz-term { font-size: 1.2em; }
}
"""

# Pieces shared by the templates. `FrontEn` / `FrontZh` are "1" or "" per note (`--lang`).
_META = '<div class="qz-meta"><span class="qz-chip">{{Category}} · {{CategoryZh}}</span></div>'


def _front(en: str, zh: str) -> str:
    return (f'{{{{#FrontEn}}}}<div class="en">{{{{{en}}}}}</div>{{{{/FrontEn}}}}'
            f'{{{{#FrontZh}}}}<div class="zh">{{{{{zh}}}}}</div>{{{{/FrontZh}}}}')


def _both(en: str, zh: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'{{{{#{en}}}}}<div{klass}><div class="en">{{{{{en}}}}}</div>'
            f'{{{{#{zh}}}}}<div class="zh">{{{{{zh}}}}}</div>{{{{/{zh}}}}}</div>{{{{/{en}}}}}')


def _source() -> str:
    return '{{#Source}}<div class="qz-source">{{Source}}</div>{{/Source}}'


TERM = ModelSpec(
    key="term", id=1095275305, name="quizapp · term",
    fields=(
        FieldSpec("Term", 1442805336768848101),
        FieldSpec("TermZh", 1860580186137136416),
        FieldSpec("Definition", 4556481998468985890),
        FieldSpec("DefinitionZh", 1579321654464657082),
        FieldSpec("Explanation", 1312834757135500183),
        FieldSpec("ExplanationZh", 4244154931679276594),
        FieldSpec("Facts", 68910715204399054),
        FieldSpec("FactsZh", 853397798273371443),
        FieldSpec("Aliases", 4168722558046825915),
        FieldSpec("Category", 2391524471688623031),
        FieldSpec("CategoryZh", 128956455972928491),
        FieldSpec("Source", 340311626702257913),
        FieldSpec("FrontEn", 431329411000193190),
        FieldSpec("FrontZh", 2196575891999467408),
        FieldSpec("QuizappId", 2144835350022941120),
    ),
    templates=(
        TemplateSpec(
            "Definition → Term", 783823438393925777,
            front=('<div class="qz">' + _META
                   + '<div class="qz-ask">Name the term · 说出术语</div>'
                   + '<div class="qz-main">' + _front("Definition", "DefinitionZh") + '</div></div>'),
            back=('{{FrontSide}}<hr id="answer"><div class="qz">'
                  '<div class="qz-term">{{Term}}</div><div class="qz-term zh">{{TermZh}}</div>'
                  '{{#Aliases}}<div class="qz-muted">{{Aliases}}</div>{{/Aliases}}'
                  '<div class="qz-sub">' + _both("Explanation", "ExplanationZh") + '</div>'
                  '{{#Facts}}<div class="qz-box">{{Facts}}{{FactsZh}}</div>{{/Facts}}'
                  + _source() + '</div>'),
        ),
        TemplateSpec(
            "Term → Definition", 2036483709246906112,
            front=('<div class="qz">' + _META
                   + '<div class="qz-ask">Define the term · 解释术语</div>'
                   + '<div class="qz-term">' + _front("Term", "TermZh") + '</div></div>'),
            back=('{{FrontSide}}<hr id="answer"><div class="qz">'
                  '<div class="qz-main"><div class="en">{{Definition}}</div>'
                  '<div class="zh">{{DefinitionZh}}</div></div>'
                  '<div class="qz-sub qz-muted">{{Term}} · {{TermZh}}</div>'
                  '<div class="qz-sub">' + _both("Explanation", "ExplanationZh") + '</div>'
                  '{{#Facts}}<div class="qz-box">{{Facts}}{{FactsZh}}</div>{{/Facts}}'
                  + _source() + '</div>'),
        ),
    ),
)

_CHOICE_FIELDS = ("Prompt", "PromptZh", "Options", "Answer")
_CHOICE_TAIL = ("Category", "CategoryZh", "Source", "FrontEn", "FrontZh", "QuizappId")


def _choice_back(why_en: str, why_zh: str) -> str:
    return ('{{FrontSide}}<hr id="answer"><div class="qz">'
            '<div class="qz-answer">{{Answer}}</div>'
            '<div class="qz-sub">' + _both(why_en, why_zh) + '</div>' + _source() + '</div>')


def _choice_front(ask: str) -> str:
    return ('<div class="qz">' + _META + f'<div class="qz-ask">{ask}</div>'
            '<div class="qz-main">' + _front("Prompt", "PromptZh") + '</div>'
            '<div class="qz-sub">{{Options}}</div></div>')


TRAP = ModelSpec(
    key="trap", id=1210811969, name="quizapp · trap",
    fields=_fields(
        (*_CHOICE_FIELDS, "Explanation", "ExplanationZh", *_CHOICE_TAIL),
        (1320678159255041021, 1834589263884830640, 4596890887371249044, 3306072376517959362,
         1664321900903864840, 1920563561253896714, 684784342390314648, 3574582883086681941,
         4516644139599458895, 4534990612643261923, 1885599169781998654, 3635397287926651751),
    ),
    templates=(TemplateSpec("Trap", 176176495195302638,
                            front=_choice_front("Which one? · 是哪一个？"),
                            back=_choice_back("Explanation", "ExplanationZh")),),
)

SCENARIO = ModelSpec(
    key="scenario", id=1126872845, name="quizapp · scenario",
    fields=_fields(
        (*_CHOICE_FIELDS, "Reason", "ReasonZh", *_CHOICE_TAIL),
        (1599099651254956787, 3727668928403916705, 1732399539339608162, 1635017596258203323,
         4121771855163681381, 4604832212712991279, 2551249870552247497, 2344062579684457763,
         556824740362721411, 3077117359236116020, 3406342598717591401, 3991955455763665989),
    ),
    templates=(TemplateSpec("Scenario", 52498182996708476,
                            front=_choice_front("What fits best? · 哪个最合适？"),
                            back=_choice_back("Reason", "ReasonZh")),),
)

DRILL = ModelSpec(
    key="drill", id=1312691392, name="quizapp · estimation",
    fields=_fields(
        ("Prompt", "PromptZh", "Answer", "Tolerance", "Solution", "SolutionZh", "Explanation",
         "ExplanationZh", "Example", "Category", "CategoryZh", "Source", "FrontEn", "FrontZh",
         "QuizappId"),
        (3239382587955585136, 4359797177337918839, 4125979227794369340, 640106913207037954,
         795986046482225349, 2939764686728868110, 4535618368794590998, 936720691825721194,
         1646481759755459984, 2915257983917713425, 812756605924349954, 2049304889860413835,
         3483018552178168640, 1127425352584500718, 1593363326620922830),
    ),
    templates=(TemplateSpec(
        "Estimate", 484251236247696853,
        front=('<div class="qz">' + _META
               + '<div class="qz-ask">Estimate · 估算 <span class="qz-muted">({{Example}})</span></div>'
               + '<div class="qz-main">' + _front("Prompt", "PromptZh") + '</div></div>'),
        back=('{{FrontSide}}<hr id="answer"><div class="qz">'
              '<div class="qz-answer">{{Answer}}</div>'
              '{{#Tolerance}}<div class="qz-muted">{{Tolerance}}</div>{{/Tolerance}}'
              '<div class="qz-box">' + _both("Solution", "SolutionZh") + '</div>'
              '<div class="qz-sub">' + _both("Explanation", "ExplanationZh") + '</div>'
              + _source() + '</div>'),
    ),),
)

MODELS: dict[str, ModelSpec] = {m.key: m for m in (TERM, TRAP, SCENARIO, DRILL)}


def fingerprint() -> str:
    """A hash of everything Anki sees in the note types; tests compare it to MODELS_FINGERPRINT."""
    blob = json.dumps([CSS, [[m.id, m.name, m.sort_field,
                              [[f.name, f.id] for f in m.fields],
                              [[t.name, t.id, t.front, t.back] for t in m.templates]]
                             for m in MODELS.values()]], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
