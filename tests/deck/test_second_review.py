"""The second (hostile) review of the bundled deck stays fixed: a GPU's memory label is not
80×10^9 bytes, Megatron's sequence parallelism is named apart from context parallelism, umbrella
terms say so and list their members, look-alike pairs are told apart by their definitions, and no
drill draws a case that contradicts its own prompt or solution."""

from __future__ import annotations

import re

import pytest

from quizapp.deck.formulas import FORMULAS
from quizapp.deck.model import Drill, Scenario, Trap
from quizapp.quiz.drills import render_drill
from quizapp.quiz.questions import Outcome
from quizapp.quiz.verdicts import check
from tests.deck.test_bundled_rules import DECK, all_strings, draws, typed


def drill(ident: str) -> Drill:
    item = DECK.item(ident)
    assert isinstance(item, Drill)
    return item


def renderings() -> list[str]:
    """Every text a drill shows, over the draws the bundled-rule tests use."""
    out = []
    for d in DECK.drills:
        for params in draws(d):
            r = render_drill(d, params)
            out += [r.prompt.en, r.prompt.zh, r.solution.en, r.solution.zh]
    return out


# ------------------------------------------------------------------- GB vs GiB of a GPU

# A clause ends at . ; 。 ； unless the dot sits inside a number (74.5).
CLAUSE = re.compile(r"(?<!\d)[.;](?!\d)|[。；]")
GPU_WORDS = re.compile(r"\b(GPU|card|H100|A100|H200|accelerator)s?\b|显卡|加速卡|的卡|张卡", re.I)


def test_no_text_says_a_gpu_holds_74_5_gib() -> None:
    """80×10^9 bytes is 74.5 GiB, but an "80 GB" GPU has ≈80 GiB (nvidia-smi: 81,920 / 81,559 MiB)."""
    offenders = [clause for text in (*all_strings(), *renderings())
                 for clause in CLAUSE.split(text) if "74.5" in clause and GPU_WORDS.search(clause)]
    assert not offenders, offenders


def test_gpu_memory_is_taught_as_binary_and_the_trap_is_a_pure_conversion() -> None:
    vram = DECK.term("vram")
    assert any("81,920 MiB" in f and "81,559 MiB" in f for f in vram.facts)
    assert any("81,920 MiB" in f and "81,559 MiB" in f for f in vram.facts_zh)
    assert any("81,559 MiB" in f for f in DECK.term("oom").facts)
    trap = DECK.item("trap-80gb-in-gib")
    assert isinstance(trap, Trap) and "vram" not in trap.terms
    assert "10^9 bytes" in trap.prompt_en and "10^9 字节" in trap.prompt_zh
    assert not GPU_WORDS.search(trap.prompt_en + trap.prompt_zh)
    assert "nvidia-smi" in trap.explain_en and "nvidia-smi" in trap.explain_zh
    for params in draws(drill("est-gb-to-gib")):
        rendered = render_drill(drill("est-gb-to-gib"), params)
        assert not GPU_WORDS.search(rendered.prompt.en + rendered.prompt.zh)


@pytest.mark.parametrize("ident", ["est-kv-capacity", "est-zero3-min-gpus"])
def test_drills_that_divide_a_gpu_label_take_it_as_decimal_on_purpose(ident: str) -> None:
    for params in draws(drill(ident)):
        rendered = render_drill(drill(ident), params)
        exact = f"{params['gpu_mem_gb']}×10^9"
        assert f"{exact} bytes" in rendered.prompt.en and f"{exact} 字节" in rendered.prompt.zh


# --------------------------------------------------------- sequence vs context parallelism


def test_megatron_sequence_parallelism_is_named_apart_from_context_parallelism() -> None:
    sp, cp = DECK.term("sequence-parallelism"), DECK.term("context-parallelism")
    assert "Megatron" in sp.en and "Megatron" in sp.zh
    assert "Megatron" not in sp.def_en + sp.def_zh  # the name must not be the cue
    assert "LayerNorm" in sp.def_en and "attention" not in sp.def_en
    assert "attention" in cp.def_en and "LayerNorm" not in cp.def_en
    assert {"Ulysses sequence parallelism", "Ulysses 序列并行"} <= set(cp.aliases)
    question = typed("context-parallelism")
    assert check(question, "Ulysses sequence parallelism").correct
    assert check(question, "sequence parallelism").twin


def test_no_option_offers_bare_sequence_parallelism() -> None:
    """DeepSpeed and Hugging Face call context parallelism "sequence parallelism", so an unqualified
    option would be a second right answer to a long-context question."""
    for item in (*DECK.traps, *DECK.scenarios):
        options = (*item.options, *item.options_zh) if isinstance(item, Trap) else item.options
        for option in options:
            for half in option.split(" · "):
                if re.search(r"sequence parallel|序列并行", half, re.I):
                    assert re.search(r"Megatron|Ulysses", half), (item.id, option)


# ---------------------------------------------------------------------------- umbrellas

UMBRELLAS = {"ai-accelerator", "vram", "storage", "rdma", "collective", "inference",
             "distributed-training", "data-parallelism", "model-parallelism", "float-format",
             "quantization"}
VARIANT_FAMILIES = {"zero", "fp8"}  # "a family of …" with its variants as members
SCHEDULED = {"pipeline-parallelism"}  # members are the schedules that order its work


def test_every_umbrella_says_so_and_lists_its_members() -> None:
    for ident in UMBRELLAS:
        term = DECK.term(ident)
        assert term.members, ident
        assert "umbrella" in term.def_en.lower() and "统称" in term.def_zh, ident
    for ident in VARIANT_FAMILIES:
        term = DECK.term(ident)
        assert term.members and "family" in term.def_en.lower(), ident
        assert re.search("家族|一组", term.def_zh), ident
    pp = DECK.term("pipeline-parallelism")
    assert "1F1B" in pp.def_en and "1F1B" in pp.def_zh


def test_members_and_umbrella_wording_go_together() -> None:
    with_members = {t.id for t in DECK.terms if t.members}
    assert with_members == UMBRELLAS | VARIANT_FAMILIES | SCHEDULED
    worded = {t.id for t in DECK.terms if "umbrella" in t.def_en.lower() or "统称" in t.def_zh}
    assert worded <= with_members, worded - with_members


# ----------------------------------------------------------------- look-alikes told apart

# (term, a phrase its definition needs so the look-alike named in the comment is not also right)
TOLD_APART = [
    ("static-batching", r"fixed before it starts.*not collected"),  # vs dynamic batching
    ("dynamic-batching", r"delay window"),
    ("autoregressive", r"probability.*factored"),  # vs the decode phase
    ("zero-offload", r"16-bit weights on the GPU.*never to SSDs"),  # vs ZeRO-Infinity
    ("zero-infinity", r"NVMe"),
    ("throughput", r"whether or not it met a latency target"),  # vs goodput
    ("infiniband", r"not Ethernet"),  # vs RoCE
    ("pipeline-1f1b", r"one contiguous block"),  # vs the interleaved schedule
    ("optimizer-states", r"moments"),  # vs master weights
]


@pytest.mark.parametrize(("ident", "phrase"), TOLD_APART, ids=[t for t, _ in TOLD_APART])
def test_look_alike_definitions_carry_what_separates_them(ident: str, phrase: str) -> None:
    assert re.search(phrase, DECK.term(ident).def_en), DECK.term(ident).def_en


def test_inference_is_the_umbrella_of_its_phases_and_autoregressive_is_not_a_phase() -> None:
    assert {"prefill", "decode"} <= set(DECK.term("inference").members)
    assert not re.search(r"per forward step|re-read", DECK.term("autoregressive").def_en)


# ------------------------------------------------------------------------ secondary facts


def test_second_review_facts_stay_corrected() -> None:
    text = "\n".join(all_strings())
    for line in text.splitlines():
        if "max_num_seqs" in line and "256" in line:  # vLLM: 1024 on H100-class GPUs
            assert "1024" in line, line
    assert "most open LLMs are distributed" not in text  # they ship in BF16; PTQ makes 8/4-bit
    assert "19 significant bits" not in text  # TF32 keeps 10 mantissa bits, 19 with sign+exponent
    assert "76% scaling efficiency" not in text and "76% weak-scaling efficiency" in text
    assert "2.25× forgets" not in text
    assert "450 GB/s each way per H100; 900 GB/s both ways" in text
    assert "a little as the KV reads add up" not in text


def test_cues_removed_from_options() -> None:
    mixtral = DECK.item("trap-moe-mixtral-total")
    assert isinstance(mixtral, Trap) and all(o.startswith("约") for o in mixtral.options_zh)
    gpudirect = DECK.item("trap-gpudirect-vs-staged")
    assert isinstance(gpudirect, Trap) and "直接" not in gpudirect.options_zh[0]
    chat = DECK.item("scenario-bursty-chat-api")
    assert isinstance(chat, Scenario) and "vLLM" not in chat.answer


# ---------------------------------------------------------------------------------- drills


def test_zero_memory_draws_fit_the_gpus_the_prompt_names() -> None:
    """The prompt says the model trains, so each GPU's share must fit its GPU."""
    d = drill("est-zero-memory")
    for params in draws(d):
        rendered = render_drill(d, params)
        size = re.search(r"GPUs of (\d+) GB each", rendered.prompt.en)
        assert size and f"{size.group(1)} GB" in rendered.prompt.zh, rendered.prompt.en
        assert rendered.answer <= int(size.group(1)), (params, rendered.answer)


def test_plain_dp_memory_is_asked_as_what_it_would_need() -> None:
    """Plain DP of a 7B model needs ≈108 GB per GPU — more than any GPU it could run on."""
    d = drill("est-dp-training-memory")
    assert "would each GPU have to hold" in d.prompt_en and "需要占" in d.prompt_zh


def test_batched_decode_explain_matches_its_own_numbers() -> None:
    d = drill("est-decode-batched")
    big = {"params_b": 6.74, "precision": "FP16", "bandwidth": "3.35 TB/s", "batch": 32,
           "context": 2048, "kv_mib_per_token": 0.5}
    per_user = FORMULAS["decode_batched_tokens_per_s"].func(**big)["per_user"]
    alone = FORMULAS["decode_tokens_per_s"].func(params_b=6.74, precision="FP16", bandwidth="3.35 TB/s")["answer"]
    assert round(per_user, -1) == 70 and round(alone, -1) == 250
    assert "about 70 instead of about 250" in d.explain_en and "约 70" in d.explain_zh


def test_kv_cache_batch_reads_right_for_one_sequence_and_shows_the_byte_factor() -> None:
    d = drill("est-kv-cache-batch")
    for params in draws(d):
        rendered = render_drill(d, params)
        assert "若干" not in rendered.prompt.zh
        assert "× bytes" not in rendered.solution.en and "字节数" not in rendered.solution.zh
        assert f"× 2 B ({params['precision']})" in rendered.solution.en


def test_ring_allreduce_solution_shows_the_bit_to_byte_step() -> None:
    d = drill("est-ring-allreduce")
    for params in draws(d):
        rendered = render_drill(d, params)
        in_bits = str(params["link"]).endswith("Gb/s")
        for text in (rendered.solution.en, rendered.solution.zh):
            assert (f"{params['link']} ÷ 8 =" in text) is in_bits, text


EXAMPLE = re.compile(r"e\.g\. ([\d.]+)\s*(M?)")


@pytest.mark.parametrize("d", [d for d in DECK.drills if EXAMPLE.search(d.prompt_en)], ids=lambda d: d.id)
def test_a_prompt_example_is_never_a_drawn_answer(d: Drill) -> None:
    match = EXAMPLE.search(d.prompt_en)
    assert match
    example = float(match.group(1)) * (1e6 if match.group(2) else 1)
    for params in draws(d):
        answer = render_drill(d, params).answer
        assert abs(answer - example) > d.tolerance * answer, (params, answer)


# ------------------------------------------------------------------- aliases and leaks

ALIASES = [
    ("ptq", "后训练量化"), ("compute-bound", "计算密集型"), ("compute-bound", "算力密集型"),
    ("memory-bound", "访存密集型"), ("memory-bound", "内存密集型"), ("memory-bound", "显存带宽受限"),
    ("latency", "时延"), ("latency", "端到端时延"), ("all-to-all", "全对全"), ("all-to-all", "All2All"),
    ("all-gather", "全聚集"), ("scaling-laws", "扩展定律"), ("scaling-laws", "尺度定律"),
    ("continuous-batching", "持续批处理"), ("vram", "GPU 内存"), ("hbm", "高带宽显存"),
    ("host-ram", "主存"), ("disaggregated-serving", "P/D 分离"),
    ("disaggregated-serving", "预填充与解码分离"), ("prefix-caching", "prefix cache"),
    ("sequence-parallelism", "sequence parallelism"), ("dataparallel", "单进程数据并行"),
]


@pytest.mark.parametrize(("term_id", "spelling"), ALIASES)
def test_second_review_answers_are_accepted(term_id: str, spelling: str) -> None:
    assert check(typed(term_id), spelling).correct


def test_ptq_trap_accepts_both_chinese_names() -> None:
    from tests.deck.test_bundled_rules import QuestionMaker, random

    question = QuestionMaker(DECK, random.Random(0)).make(DECK.card("trap-ptq-qat-gptq:trap"))
    assert check(question, "后训练量化").correct and check(question, "训练后量化").correct
    assert check(question, "量化感知训练").outcome is Outcome.WRONG


# (term, a pattern its definition must not contain: a word of its own name or alias)
LEAKS_EN = [
    ("flops-rate", r"floating-point|per second"), ("flops-count", r"floating-point"),
    ("pf-day", r"10\^15|every second for one"), ("mfu", r"\bmodel\b"), ("hfu", r"\bhardware\b"),
    ("host-ram", r"\bhost\b|main memory"), ("roce", r"Ethernet"), ("gpudirect-rdma", r"GPU memory directly"),
    ("tf32", r"Tensor|32-bit"), ("fsdp", r"data-parallel|shards"), ("sxm", r"module"),
    ("ttft", r"\bfirst\b"), ("distributed-training", r"\btraining\b"), ("collective", r"communication"),
    ("nccl", r"library|communication"), ("hbm", r"bandwidth"), ("hybrid-parallelism", r"parallel"),
    ("memory-bound", r"from memory"), ("gradient-checkpointing", r"activation|recomput"),
    ("dynamic-batching", r"request-level"), ("fp8", r"floating"), ("vllm", r"engine|\bLLMs?\b"),
    ("sequence-parallelism", r"Megatron"), ("latency", r"response"),
]
LEAKS_ZH = [
    ("flops-rate", "浮点"), ("flops-count", "浮点"), ("mfu", "算力"), ("hfu", "硬件"),
    ("host-ram", "主机"), ("roce", "以太网"), ("gpudirect-rdma", "直接"), ("sxm", "模组"),
    ("ttft", "第一个"), ("distributed-training", "分布"), ("collective", "通信"), ("hbm", "带宽"),
    ("ai-accelerator", "加速"), ("amp", "自动"), ("fp8", "浮点"), ("vllm", "引擎"),
]


@pytest.mark.parametrize(("term_id", "leak"), LEAKS_EN, ids=[f"{t}:{p}" for t, p in LEAKS_EN])
def test_english_definitions_do_not_spell_the_name(term_id: str, leak: str) -> None:
    assert not re.search(leak, DECK.term(term_id).def_en, re.I), DECK.term(term_id).def_en


@pytest.mark.parametrize(("term_id", "leak"), LEAKS_ZH, ids=[f"{t}:{p}" for t, p in LEAKS_ZH])
def test_chinese_definitions_do_not_spell_the_name(term_id: str, leak: str) -> None:
    assert leak not in DECK.term(term_id).def_zh, DECK.term(term_id).def_zh
