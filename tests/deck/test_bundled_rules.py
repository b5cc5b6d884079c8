"""Rules the bundled deck keeps so its verdicts can be trusted: both languages on every option, no
length cue, a family on every term, drills whose worked solution agrees with the accepted answer,
sources inside the repository — and the defects of the December 2026 expert review stay fixed."""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from dataclasses import fields
from pathlib import Path

import pytest
from rich.cells import cell_len

from quizapp.deck.families import FAMILIES
from quizapp.deck.formulas import format_number
from quizapp.deck.load import load_deck
from quizapp.deck.model import Deck, Drill, Scenario, Term, Trap
from quizapp.quiz.drills import render_drill
from quizapp.quiz.questions import Outcome, QuestionMaker
from quizapp.quiz.verdicts import check
from tests.conftest import BUNDLED_DECK, ROOT

DECK: Deck = load_deck([BUNDLED_DECK])
CJK = re.compile(r"[\u4e00-\u9fff]")
SEP = " · "  # a bilingual scenario option is "English · 中文"


# ------------------------------------------------------------------------- both languages


def symbol_only(text: str) -> bool:
    """True for options that read the same in Chinese: names, symbols, numbers ("FLOPS",
    "ZeRO-3", "50 GB/s", "3.5×10^11") — no all-lowercase English word in them."""
    return not any(re.fullmatch(r"[a-z]{2,}", word) for word in re.split(r"[\s,;:()/]+", text))


@pytest.mark.parametrize("trap", DECK.traps, ids=lambda t: t.id)
def test_every_trap_option_is_bilingual(trap: Trap) -> None:
    assert len(trap.options_zh) == len(trap.options)
    for en, zh in zip(trap.options, trap.options_zh, strict=True):
        assert CJK.search(zh) or (zh == en and symbol_only(en)), (en, zh)


@pytest.mark.parametrize("trap", DECK.traps, ids=lambda t: t.id)
def test_the_answer_is_not_the_only_option_without_a_chinese_line(trap: Trap) -> None:
    """Shown in both languages, an option whose Chinese equals its English takes one line, the
    others two: the right option must not be the odd one out."""
    same = [en == zh for en, zh in zip(trap.options, trap.options_zh, strict=True)]
    answer = trap.options.index(trap.answer)
    assert [i for i, s in enumerate(same) if s == same[answer]] != [answer] or len(same) == 1


@pytest.mark.parametrize("trap", DECK.traps, ids=lambda t: t.id)
def test_trap_options_are_shown_in_chinese_and_accepted_when_typed(trap: Trap) -> None:
    question = QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{trap.id}:trap"))
    # Shown in a shuffled order, each option keeping its own Chinese text.
    pairs = sorted((o.en, o.render("zh")) for o in question.options)
    assert pairs == sorted(zip(trap.options, trap.options_zh, strict=True))
    answer_zh = trap.options_zh[trap.options.index(trap.answer)]
    assert check(question, answer_zh).correct
    for spelling in trap.accept:
        assert check(question, spelling).correct, spelling
    for en, zh in zip(trap.options, trap.options_zh, strict=True):
        if en != trap.answer:
            assert check(question, zh).outcome is Outcome.WRONG, zh


@pytest.mark.parametrize("scenario", DECK.scenarios, ids=lambda s: s.id)
def test_every_scenario_option_is_bilingual(scenario: Scenario) -> None:
    for option in scenario.options:
        en, sep, zh = option.partition(SEP)
        assert sep and en.strip() and CJK.search(zh), option


def zh_texts() -> list[tuple[str, str]]:
    """Every string a Chinese reader sees: *_zh fields, zh names, Chinese option halves."""
    out = []
    for item in (*DECK.terms, *DECK.traps, *DECK.scenarios, *DECK.drills):
        for f in fields(item):
            value = getattr(item, f.name)
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                if not isinstance(v, str):
                    continue
                if f.name == "zh" or f.name.endswith("_zh"):
                    out.append((f"{item.id}.{f.name}", v))
                elif isinstance(item, Scenario) and SEP in v:
                    out.append((f"{item.id}.{f.name}", v.partition(SEP)[2]))
    return out


def test_one_chinese_term_for_kv_cache_and_no_calque_names() -> None:
    """KV 缓存 everywhere (terms and drills); Latin names Chinese ML writing keeps stay Latin."""
    offenders = [(w, t) for w, t in zh_texts()
                 if re.search(r"KV[ -]?[Cc]ache|Flash 注意力|PF-天|脑浮点|每输出 token|（十亿）", t)]
    assert not offenders
    names = {t.id: t for t in DECK.terms}
    assert names["kv-cache"].zh == "KV 缓存"
    assert (names["flash-attention"].zh, names["bf16"].zh, names["pf-day"].zh) == ("FlashAttention", "BF16", "PF-day")
    assert names["tpot"].zh == "每个输出 token 的时延"
    assert "Flash 注意力" in names["flash-attention"].aliases and "PF-天" in names["pf-day"].aliases
    assert "脑浮点数" in names["bf16"].aliases and "每输出 token 时间" in names["tpot"].aliases


# ---------------------------------------------------------------------------- no length cue
#
# Statistic, per language (English halves and Chinese halves measured separately, in terminal
# cells so a CJK character counts as 2): over a set of items, count the items whose right option
# is *strictly* longer than every wrong one. A guesser who picks the longest option would score
# that many. Without a cue it is about Σ 1/n_options; we allow that plus 10 % of the items.
# Scenarios must also never have a right option longer than 1.3 × the mean wrong option, and
# a right option that combines techniques ("A + B") must have at least one combined distractor.


def widths(options: tuple[str, ...], part: int | None) -> list[int]:
    texts = options if part is None else [o.partition(SEP)[2 * part] for o in options]
    return [cell_len(t.strip()) for t in texts]


def longest_count(items: list[tuple[list[int], int]]) -> tuple[int, float]:
    strictly = sum(all(w[a] > x for i, x in enumerate(w) if i != a) for w, a in items)
    chance = sum(1 / len(w) for w, _ in items)
    return strictly, chance


@pytest.mark.parametrize("part", [0, 1], ids=["en", "zh"])
def test_scenarios_have_no_length_cue(part: int) -> None:
    items = [(widths(s.options, part), s.options.index(s.answer)) for s in DECK.scenarios]
    strictly, chance = longest_count(items)
    assert strictly <= chance + 0.10 * len(items), (strictly, chance)
    for scenario, (w, a) in zip(DECK.scenarios, items, strict=True):
        others = [x for i, x in enumerate(w) if i != a]
        assert w[a] <= 1.3 * sum(others) / len(others), (scenario.id, w, a)


def test_scenario_distractors_combine_techniques_as_often_as_the_answer() -> None:
    for scenario in DECK.scenarios:
        if " + " in scenario.answer:
            combined = [o for o in scenario.options if o != scenario.answer and " + " in o]
            assert combined, scenario.id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_traps_have_no_length_cue(lang: str) -> None:
    items = []
    for trap in DECK.traps:
        options = trap.options if lang == "en" else trap.options_zh
        items.append(([cell_len(o) for o in options], trap.options.index(trap.answer)))
    strictly, chance = longest_count(items)
    assert strictly <= chance + 0.10 * len(items), (strictly, chance)
    # A descriptive answer (three words or more) must not stand out by length either; names such
    # as "Reduce-scatter" vs "All-gather" are what they are.
    for trap, (w, a) in zip(DECK.traps, items, strict=True):
        if len(trap.answer.split()) >= 3:
            others = [x for i, x in enumerate(w) if i != a]
            assert w[a] <= 1.3 * sum(others) / len(others), (trap.id, lang, w)


# ---------------------------------------------------------------------------------- families

# (category, family) groups with fewer than 4 terms, so a definition→term question cannot draw
# three wrong options of the same kind from the same category. Kept here so a change is visible.
SMALL_FAMILIES = {
    ("hardware", "library"): "NCCL is the only library among the hardware terms",
    ("inference", "library"): "vLLM is the only serving engine",
    ("parallelism", "model-component"): "MoE is the only model design in training & parallelism",
    ("parallelism", "scaling-rule"): "scaling laws are one term",
    ("precision", "training-state"): "master weights, optimizer states, activations",
}


@pytest.mark.parametrize("term", DECK.terms, ids=lambda t: t.id)
def test_every_bundled_term_has_a_known_family(term: Term) -> None:
    assert term.family in FAMILIES


def test_families_are_large_enough_for_same_kind_distractors() -> None:
    sizes = Counter((t.category, t.family) for t in DECK.terms)
    small = {group for group, n in sizes.items() if n < 4}
    assert small == set(SMALL_FAMILIES), sorted(small)


def test_umbrella_terms_are_defined_as_the_family_and_list_their_members() -> None:
    for ident in ("collective", "distributed-training", "model-parallelism"):
        umbrella = DECK.term(ident)
        assert umbrella.members, ident
        assert "umbrella" in umbrella.def_en and "统称" in umbrella.def_zh, ident
    assert set(DECK.term("collective").members) >= {"all-reduce", "all-gather", "reduce-scatter"}
    assert {"tensor-parallelism", "pipeline-parallelism"} <= set(DECK.term("model-parallelism").members)


# ------------------------------------------------------------------------------------ drills

DRAWS = 60


def draws(drill: Drill) -> list[dict[str, object]]:
    """Every parameter combination if there are few, else DRAWS random ones (fixed seed)."""
    names = [n for n, _ in drill.params]
    combos = list(itertools.product(*(c for _, c in drill.params)))
    if len(combos) > DRAWS:
        combos = random.Random(drill.id).sample(combos, DRAWS)
    return [dict(zip(names, c, strict=True)) for c in combos]


GRAMMAR = [
    (re.compile(r"\(s\)"), "no '(s)' plurals"),
    (re.compile(r"\b1 (bytes|heads|key/value heads|K/V heads|sequences|tokens|GPUs|layers|stages)\b"),
     "singular after 1"),
    (re.compile(r"\ba (8|11|18|80|800)\b"), "'an' before a number read with a vowel sound"),
]


@pytest.mark.parametrize("drill", DECK.drills, ids=lambda d: d.id)
def test_every_drill_draw_reads_right_and_its_solution_states_the_accepted_answer(drill: Drill) -> None:
    card = DECK.card(f"{drill.id}:drill")
    maker = QuestionMaker(DECK, random.Random(0))
    for params in draws(drill):
        question = maker._drill(card, drill, params)
        assert question.expected is not None and question.solution is not None
        shown = format_number(question.expected)
        assert check(question, question.answer.en).correct, (params, question.answer.en)
        assert check(question, shown).correct, (params, shown)
        for text in (question.solution.en, question.solution.zh):
            assert shown in text, (params, shown, text)
        for text in (question.prompt.en, question.prompt.zh, question.solution.en, question.solution.zh):
            assert "{" not in text and "}" not in text, text
        for text in (question.prompt.en, question.solution.en):
            for pattern, rule in GRAMMAR:
                assert not pattern.search(text), (rule, text)


@pytest.mark.parametrize("drill", [d for d in DECK.drills if d.answer_type == "count"],
                         ids=lambda d: d.id)
def test_count_drills_accept_exactly_the_whole_number(drill: Drill) -> None:
    card = DECK.card(f"{drill.id}:drill")
    maker = QuestionMaker(DECK, random.Random(0))
    for params in draws(drill):
        question = maker._drill(card, drill, params)
        assert question.expected is not None and float(question.expected).is_integer()
        n = int(question.expected)
        assert check(question, str(n)).correct
        assert not check(question, str(n + 1)).correct and not check(question, str(n - 1)).correct


def test_the_count_drills_are_the_whole_number_questions() -> None:
    counts = {d.id for d in DECK.drills if d.answer_type == "count"}
    conversions = {d.id for d in DECK.drills if d.answer_type == "conversion"}
    assert counts == {"est-kv-capacity", "est-zero3-min-gpus"}
    assert conversions == {"est-gb-to-gib", "est-gbit-to-gbyte", "est-pf-days"}


def test_kv_capacity_answer_is_the_floor_shown_in_its_solution() -> None:
    drill = DECK.item("est-kv-capacity")
    assert isinstance(drill, Drill)
    for params in draws(drill):
        rendered = render_drill(drill, params)
        quotient = re.search(r"= (\d+\.\d\d); ", rendered.solution.en)
        assert quotient, rendered.solution.en
        assert rendered.answer == math.floor(float(quotient.group(1)))
        assert f"{quotient.group(1)}；" in rendered.solution.zh
        assert f"so {format_number(rendered.answer)} fit" in rendered.solution.en
    # the review's cases: 40 GB / 2k → 20, 80 GB / 4k → 27, 141 GB / 2k → 105
    base = {"mem_fraction": 0.9, "params_b": 6.74, "precision": "FP16", "kv_mib_per_token": 0.5}
    for gpu, context, fits in ((40, 2048, 20), (80, 4096, 27), (141, 2048, 105)):
        assert render_drill(drill, {**base, "gpu_mem_gb": gpu, "context": context}).answer == fits


def test_zero3_min_gpus_is_the_exact_ceiling() -> None:
    drill = DECK.item("est-zero3-min-gpus")
    assert isinstance(drill, Drill)
    card = DECK.card("est-zero3-min-gpus:drill")
    maker = QuestionMaker(DECK, random.Random(0))
    for gpu, need in ((40, 70), (80, 35), (141, 20)):
        question = maker._drill(card, drill, {"params_b": 175, "gpu_mem_gb": gpu})
        assert question.expected == need
        assert not check(question, str(need - 1)).correct and not check(question, str(need + 1)).correct


def test_no_drill_calls_one_kv_head_gqa() -> None:
    """GQA means 1 < K/V heads < query heads; one shared K/V head is MQA."""
    for drill in DECK.drills:
        choices = drill.param_choices
        if "kv_heads" not in choices:
            continue
        for params in (dict(zip(choices, c, strict=True)) for c in itertools.product(*choices.values())):
            rendered = render_drill(drill, params)
            text = rendered.prompt.en + rendered.prompt.zh + rendered.solution.en + rendered.solution.zh
            if "GQA" in text or "grouped-query" in text:
                assert 1 < int(params["kv_heads"]) < int(params.get("query_heads", 10**6)), (drill.id, params)


# ----------------------------------------------------------------------------------- sources


def defined_sources() -> set[str]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z0-9][A-Z0-9-]*)` \|", text, re.M))


def test_every_source_key_is_defined_in_docs_sources() -> None:
    known = defined_sources()
    assert len(known) >= 40
    used: dict[str, set[str]] = {}
    for item in (*DECK.terms, *DECK.traps, *DECK.scenarios, *DECK.drills):
        assert item.source.strip(), f"{item.id} has no source"
        for key in (k.strip() for k in item.source.split(";")):
            used.setdefault(key, set()).add(item.id)
    assert not set(used) - known, {k: sorted(v)[:3] for k, v in used.items() if k not in known}


def test_deck_files_cite_nothing_outside_the_repository() -> None:
    for path in sorted(Path(BUNDLED_DECK).glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        for bad in ("syllabus", "/work/", "../shared", "source article"):
            assert bad not in text.lower(), (path.name, bad)


# ------------------------------------------------------------------- the review stays fixed


def typed(term_id: str):
    return QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{term_id}:def-term"), recalled=True)


@pytest.mark.parametrize(("term_id", "spelling"), [
    ("flops-count", "计算量"), ("flops-count", "浮点运算量"), ("flops-count", "FLOP"),
    ("pf-day", "PFLOP/s-day"), ("itl", "TBT"), ("itl", "time between tokens"),
    ("pipeline-parallelism", "管道并行"), ("tensor-parallelism", "tensor model parallelism"),
    ("gradient-checkpointing", "rematerialization"), ("gradient-checkpointing", "激活值重计算"),
    ("token", "词元"), ("activations", "激活值"), ("qlora", "QLoRA"), ("roce", "RoCE"),
    ("gpudirect-rdma", "GPUDirect RDMA"), ("pipeline-1f1b", "1F1B"), ("pipeline-interleaved", "interleaved 1F1B"),
])
def test_reasonable_answers_are_accepted(term_id: str, spelling: str) -> None:
    assert check(typed(term_id), spelling).correct


@pytest.mark.parametrize(("term_id", "leak"), [
    ("gqa", r"group"), ("fp8-e4m3", r"4 exponent|3 mantissa"), ("fp8-e5m2", r"5 exponent|2 mantissa"),
    ("nvswitch", r"switch"), ("paged-attention", r"\bpag"), ("kv-cache", r"\bkeys?\b|\bvalues?\b"),
    ("loss-scaling", r"\bloss\b"), ("lora", r"low-rank"), ("optimizer-states", r"optimizer"),
])
def test_definitions_do_not_spell_the_name(term_id: str, leak: str) -> None:
    assert not re.search(leak, DECK.term(term_id).def_en, re.I)


def all_strings() -> list[str]:
    out = []
    for item in (*DECK.terms, *DECK.traps, *DECK.scenarios, *DECK.drills):
        for f in fields(item):
            value = getattr(item, f.name)
            out.extend(v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str))
    return out


def test_review_facts_stay_corrected() -> None:
    text = "\n".join(all_strings())
    assert "10–100×" not in text and "10–100 倍" not in text  # NVMe is several hundred × below HBM
    assert "1.1 TB" not in text  # a checkpoint is ≈12–14 bytes/param, no gradients
    assert "training iterations of a 1-trillion-parameter model" in text
    laws = DECK.term("scaling-laws")
    assert "power law" in laws.def_en and "6" not in laws.def_en
    assert any("20 tokens per parameter" in f for f in laws.facts)
    pp_link = DECK.item("trap-pp-boundary-link")
    assert isinstance(pp_link, Trap) and "only by" in pp_link.prompt_en


def test_the_13b_on_24gb_scenario_has_one_answer_that_fits() -> None:
    """Every wrong option keeps 26 GB of FP16 weights, more than the 24 GB GPU holds."""
    scenario = DECK.item("scenario-13b-on-24gb")
    assert isinstance(scenario, Scenario)
    wrong = [o for o in scenario.options if o != scenario.answer]
    assert all("FP16" in o for o in wrong) and "4-bit" in scenario.answer
