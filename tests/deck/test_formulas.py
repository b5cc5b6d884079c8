"""Estimation formulas against hand-worked answers of the ten estimation problems (E1–E10)."""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pytest

from quizapp.deck.formulas import (
    FORMULAS,
    Formula,
    bytes_per_value,
    format_number,
    gb_per_s,
    zero_stage,
)

DRILLS = Path(__file__).resolve().parents[2] / "decks" / "llm-compute" / "drills.toml"


def run(name: str, **params: object) -> dict[str, float]:
    return FORMULAS[name].func(**params)


def answer(name: str, **params: object) -> float:
    return run(name, **params)["answer"]


# --------------------------------------------------------------------------- registry


def test_registry_shape() -> None:
    assert len(FORMULAS) >= 15
    for name, f in FORMULAS.items():
        assert isinstance(f, Formula)
        assert f.name == name
        assert "answer" in f.outputs
        assert f.unit
        assert f.inputs and all(isinstance(i, str) for i in f.inputs)
    with pytest.raises(AttributeError):
        FORMULAS["weights_memory"].name = "x"  # type: ignore[misc]


def test_formula_returns_all_outputs() -> None:
    f = FORMULAS["weights_memory"]
    out = f.func(params_b=1, precision="BF16")
    assert set(f.outputs) <= set(out)
    assert out["answer"] == 2.0


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("FP32", 4), ("fp16", 2), ("BF16", 2), ("FP8", 1), ("INT8", 1), ("INT4", 0.5), ("int-4", 0.5),
     (2, 2), (0.5, 0.5)],
)
def test_bytes_per_value(precision: object, expected: float) -> None:
    assert bytes_per_value(precision) == expected


def test_unknown_precision_raises() -> None:
    with pytest.raises(ValueError):
        bytes_per_value("TF32")  # a compute mode, not a storage format


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("400 Gb/s", 50), ("400 Gbps", 50), ("450 GB/s", 450), ("3.35 TB/s", 3350), ("63 GB/s", 63),
     ("800 Gb/s", 100), (50, 50)],
)
def test_gb_per_s(rate: object, expected: float) -> None:
    assert gb_per_s(rate) == pytest.approx(expected)


def test_gb_per_s_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        gb_per_s("fast")


@pytest.mark.parametrize(("stage", "n"), [("DP", 0), ("ZeRO-1", 1), ("zero 2", 2), ("ZeRO-3", 3),
                                          (3, 3)])
def test_zero_stage(stage: object, n: int) -> None:
    assert zero_stage(stage) == n


# --------------------------------------------------------------------------- E1


@pytest.mark.parametrize(
    ("params_b", "precision", "gb"),
    [(6.74, "FP32", 27.0), (6.74, "FP16", 13.5), (6.74, "INT8", 6.7), (6.74, "INT4", 3.4),
     (70, "FP32", 280), (70, "FP16", 140), (70, "INT8", 70), (70, "INT4", 35)],
)
def test_e1_weights(params_b: float, precision: str, gb: float) -> None:
    assert answer("weights_memory", params_b=params_b, precision=precision) == pytest.approx(
        gb, rel=0.01)


def test_e1_llama2_7b_fp16_in_gib() -> None:
    out = run("weights_memory", params_b=6.74, precision="FP16")
    assert out["bytes_per_param"] == 2
    assert out["total_bytes"] == pytest.approx(1.348e10)
    assert out["gib"] == pytest.approx(12.6, abs=0.05)


def test_gb_to_gib() -> None:
    assert answer("gb_to_gib", gb=80) == pytest.approx(74.5, abs=0.05)


# --------------------------------------------------------------------------- E2


@pytest.mark.parametrize(
    ("stage", "gb"), [("DP", 120), ("ZeRO-1", 31.4), ("ZeRO-2", 16.6), ("ZeRO-3", 1.9)]
)
def test_e2_zero_paper_example(stage: str, gb: float) -> None:
    got = answer("training_memory_per_gpu", params_b=7.5, gpus=64, stage=stage)
    assert got == pytest.approx(gb, rel=0.02)


@pytest.mark.parametrize(
    ("stage", "gb"), [("DP", 107.8), ("ZeRO-1", 37.1), ("ZeRO-2", 25.3), ("ZeRO-3", 13.5)]
)
def test_e2_llama2_7b_on_8(stage: str, gb: float) -> None:
    got = answer("training_memory_per_gpu", params_b=6.74, gpus=8, stage=stage)
    assert got == pytest.approx(gb, rel=0.01)


def test_e2_parts_add_up() -> None:
    out = run("training_memory_per_gpu", params_b=7.5, gpus=64, stage="ZeRO-2")
    assert out["weights_gb"] + out["grads_gb"] + out["optim_gb"] == pytest.approx(out["answer"])
    assert out["total_states_gb"] == pytest.approx(120)


def test_e2_70b_states_and_min_gpus() -> None:
    assert answer("training_memory_per_gpu", params_b=70, gpus=64, stage="ZeRO-3") == (
        pytest.approx(17.5))
    out = run("zero3_min_gpus", params_b=70, gpu_mem_gb=80)
    assert out["total_states_gb"] == pytest.approx(1120)
    assert out["answer"] == 14
    assert answer("zero3_min_gpus", params_b=13, gpu_mem_gb=40) == 6  # 5.2 rounds up


# --------------------------------------------------------------------------- E3/E4


def test_e3_kv_per_token_llama2_7b() -> None:
    out = run("kv_cache_per_token", layers=32, kv_heads=32, head_dim=128, precision="FP16")
    assert out["bytes_per_token"] == 524_288
    assert out["mib"] == 0.5
    assert out["answer"] == 512


def test_e3_kv_sequence_and_batch() -> None:
    cfg = {"layers": 32, "kv_heads": 32, "head_dim": 128, "precision": "FP16", "context": 4096}
    one = run("kv_cache_total", **cfg, batch=1)
    assert one["answer"] == 2.0
    assert one["gb"] == pytest.approx(2.15, abs=0.01)
    assert answer("kv_cache_total", **cfg, batch=16) == 32.0


def test_e3_capacity_on_h100() -> None:
    out = run("kv_cache_capacity", gpu_mem_gb=80, mem_fraction=0.9, params_b=6.74,
              precision="FP16", kv_mib_per_token=0.5, context=4096)
    assert out["free_gb"] == pytest.approx(58.5, abs=0.05)
    assert out["answer"] == pytest.approx(27, abs=0.5)
    assert out["whole"] == 27


def test_e4_gqa_70b() -> None:
    per_token = run("kv_cache_per_token", layers=80, kv_heads=8, head_dim=128, precision="FP16")
    assert per_token["bytes_per_token"] == 327_680
    assert per_token["answer"] == 320
    cfg = {"layers": 80, "head_dim": 128, "precision": "FP16", "context": 4096}
    assert run("kv_cache_total", **cfg, kv_heads=8, batch=1)["answer"] == 1.25
    assert answer("kv_cache_total", **cfg, kv_heads=8, batch=32) == 40
    both = run("kv_cache_mha_vs_gqa", **cfg, query_heads=64, kv_heads=8, batch=32)
    assert both["answer"] == 320
    assert both["gqa_gib"] == 40
    assert both["ratio"] == 8
    assert both["mha_kib_per_token"] == 2.5 * 1024
    assert answer("gqa_kv_ratio", query_heads=64, kv_heads=8) == 8


# --------------------------------------------------------------------------- E5


def test_e5_gpt3_training_flops() -> None:
    out = run("training_flops", params_b=175, tokens_b=300)
    assert out["answer"] == pytest.approx(3.15e23)
    assert out["pf_days"] == pytest.approx(3640, rel=0.01)
    assert answer("training_pf_days", params_b=175, tokens_b=300) == pytest.approx(3640, rel=0.01)


def test_e5_forward_flops() -> None:
    assert answer("forward_flops", params_b=175, tokens=1) == pytest.approx(3.5e11)
    assert answer("forward_flops", params_b=175, tokens=2048) == pytest.approx(7.2e14, rel=0.01)
    ratio = answer("training_flops", params_b=175, tokens_b=300) / answer(
        "forward_flops", params_b=175, tokens=1)
    assert 1e8 < ratio < 1e13  # "one forward pass ≈ 10^23" is off by ~9 orders of magnitude


# --------------------------------------------------------------------------- E6/E7


def test_e6_llama2_7b_on_a100() -> None:
    out = run("training_gpu_hours", params_b=6.74, tokens_b=2000, peak_tflops=312, mfu_pct=40)
    assert out["flops"] == pytest.approx(8.09e22, rel=0.001)
    assert out["gpu_seconds"] == pytest.approx(6.48e8, rel=0.001)
    assert out["answer"] == pytest.approx(180_000, rel=0.01)
    assert answer("training_gpu_days", params_b=6.74, tokens_b=2000, peak_tflops=312,
                  mfu_pct=40) == pytest.approx(7500, rel=0.01)


def test_e6_implied_mfu_from_meta_hours() -> None:
    hours_at_100 = answer("training_gpu_hours", params_b=6.74, tokens_b=2000, peak_tflops=312,
                          mfu_pct=100)
    assert hours_at_100 / 184_320 == pytest.approx(0.39, abs=0.01)


def test_e6_h100() -> None:
    kw = {"params_b": 6.74, "tokens_b": 2000, "peak_tflops": 989, "mfu_pct": 40}
    assert answer("training_gpu_hours", **kw) == pytest.approx(56_800, rel=0.01)
    assert answer("training_gpu_days", **kw) == pytest.approx(2370, rel=0.01)
    assert answer("training_wall_days", **kw, gpus=1024) == pytest.approx(2.3, rel=0.01)


def test_e7_mfu() -> None:
    out = run("mfu_from_throughput", params_b=6.74, tokens_per_s=10_000, peak_tflops=989)
    assert out["achieved_flops"] == pytest.approx(4.04e14, rel=0.001)
    assert out["answer"] == pytest.approx(41, abs=0.5)
    sparse = answer("mfu_from_throughput", params_b=6.74, tokens_per_s=10_000, peak_tflops=1979)
    assert sparse == pytest.approx(20, abs=0.5)  # the misleading figure


# --------------------------------------------------------------------------- E8


@pytest.mark.parametrize(
    ("precision", "bandwidth", "tps"),
    [("FP16", "3.35 TB/s", 249), ("FP16", "2.04 TB/s", 151), ("INT4", "3.35 TB/s", 990)],
)
def test_e8_decode_ceiling(precision: str, bandwidth: str, tps: float) -> None:
    got = answer("decode_tokens_per_s", params_b=6.74, precision=precision, bandwidth=bandwidth)
    assert got == pytest.approx(tps, rel=0.01)


def test_e8_ms_per_token() -> None:
    out = run("decode_tokens_per_s", params_b=6.74, precision="FP16", bandwidth=3350)
    assert out["ms_per_token"] == pytest.approx(4.0, abs=0.05)


def test_e8_batched() -> None:
    out = run("decode_batched_tokens_per_s", params_b=6.74, precision="FP16",
              bandwidth="3.35 TB/s", batch=32, context=1024, kv_mib_per_token=0.5)
    assert out["kv_gb_per_seq"] == pytest.approx(0.54, abs=0.005)
    assert out["step_gb"] == pytest.approx(30.7, abs=0.05)
    assert out["ms_per_step"] == pytest.approx(9.2, abs=0.05)
    assert out["answer"] == pytest.approx(3500, rel=0.01)
    assert out["per_user"] == pytest.approx(109, rel=0.01)


# --------------------------------------------------------------------------- E9


def test_gbit_to_gbyte() -> None:
    assert answer("gbit_to_gbyte", gbps=400) == 50


@pytest.mark.parametrize(
    ("link", "seconds"),
    [("450 GB/s", 0.054), ("63 GB/s", 0.39), ("400 Gb/s", 0.49), (450, 0.054)],
)
def test_e9_ring_allreduce(link: object, seconds: float) -> None:
    out = run("ring_allreduce_time", message_gb=14, gpus=8, link=link)
    assert out["sent_gb"] == pytest.approx(24.5)
    assert out["answer"] == pytest.approx(seconds, rel=0.02)


def test_e9_bits_bytes_trap_is_8x() -> None:
    right = answer("ring_allreduce_time", message_gb=14, gpus=8, link="400 Gb/s")
    wrong = answer("ring_allreduce_time", message_gb=14, gpus=8, link="400 GB/s")
    assert wrong == pytest.approx(0.061, rel=0.01)
    assert right / wrong == pytest.approx(8)


# --------------------------------------------------------------------------- E10


def test_e10_bubble() -> None:
    out = run("pipeline_bubble", stages=8, microbatches=32)
    assert out["fraction"] == 7 / 32
    assert out["answer"] == pytest.approx(21.9, abs=0.05)
    assert out["idle_pct"] == pytest.approx(18, abs=0.5)
    assert answer("pipeline_bubble", stages=8, microbatches=128) == pytest.approx(5.5, abs=0.05)


def test_e10_global_batch() -> None:
    out = run("global_batch_tokens", micro_batch=4, accum_steps=8, dp_ranks=64, seq_len=4096)
    assert out["sequences"] == 2048
    assert out["answer"] == pytest.approx(8.4e6, rel=0.01)


# --------------------------------------------------------------------------- format_number


@pytest.mark.parametrize(
    ("x", "text"),
    [(0, "0"), (2048, "2,048"), (524_288, "524,288"), (13.48, "13.5"), (0.5, "0.5"),
     (7 / 32, "0.219"), (249.25, "249"), (1234.5, "1,230"), (180_021.4, "180,000"),
     (3.15e23, "3.15×10^23"), (6.48e8, "6.48×10^8"), (2e12, "2×10^12"), (5.47e-4, "5.47×10^-4"),
     (9.996, "10"), (-13.48, "-13.5"), (1e7, "1×10^7"), (math.inf, "∞")],
)
def test_format_number(x: float, text: str) -> None:
    assert format_number(x) == text


# --------------------------------------------------------------------------- the bundled drills


def _drills() -> list[dict]:
    with DRILLS.open("rb") as fh:
        return tomllib.load(fh)["drill"]


# The ten estimation problems the deck teaches, by the formulas that compute them. (Drills used to
# name the problem in their `source`; sources are now bibliography keys from docs/sources.md.)
PROBLEMS = {
    "E1 weight memory": {"weights_memory"},
    "E2 training memory and ZeRO": {"training_memory_per_gpu", "zero3_min_gpus"},
    "E3 KV cache size": {"kv_cache_per_token", "kv_cache_total", "kv_cache_capacity"},
    "E4 GQA vs MHA cache": {"kv_cache_mha_vs_gqa", "gqa_kv_ratio"},
    "E5 forward vs training FLOPs": {"training_flops", "training_pf_days", "forward_flops"},
    "E6 training time": {"training_gpu_hours", "training_gpu_days", "training_wall_days"},
    "E7 MFU": {"mfu_from_throughput"},
    "E8 decoding is bandwidth-bound": {"decode_tokens_per_s", "decode_batched_tokens_per_s"},
    "E9 all-reduce time, bits vs bytes": {"ring_allreduce_time", "gbit_to_gbyte"},
    "E10 pipeline bubble, global batch": {"pipeline_bubble", "global_batch_tokens"},
}


def test_bundled_drills_cover_every_problem() -> None:
    drills = _drills()
    assert len(drills) >= 10
    used = {d["formula"] for d in drills}
    for problem, formulas in PROBLEMS.items():
        assert formulas & used, f"no drill for estimation problem {problem}"


@pytest.mark.parametrize("drill", _drills(), ids=lambda d: d["id"])
def test_bundled_drill_renders_for_every_combination(drill: dict) -> None:
    f = FORMULAS[drill["formula"]]
    assert drill["unit"] == f.unit
    assert set(drill["params"]) == set(f.inputs)
    assert 0 < drill["tolerance"] < 1
    names = list(drill["params"])
    for combo in itertools.product(*drill["params"].values()):
        params = dict(zip(names, combo, strict=True))
        out = f.func(**params)
        assert math.isfinite(out["answer"]) and out["answer"] > 0
        values = {k: format_number(v) if isinstance(v, int | float) else v
                  for k, v in {**params, **out}.items()}
        for key in ("prompt_en", "prompt_zh", "solution_en", "solution_zh"):
            drill[key].format(**values)
    for example in drill.get("example", []):
        assert set(example) == set(f.inputs)
