"""Estimation formulas used by `[[drill]]` items: the ten estimation problems E1–E10
(docs/deck-format.md, "Estimation drills").

Each formula is a small function registered with `@formula(unit=..., outputs=...)`; its inputs are
the function's parameter names, which a drill's `[drill.params]` must supply. It returns a dict with
every declared output. `answer` is always present and is expressed in the formula's `unit` — a
drill's `unit` should match it (or be convertible by `quizapp.quiz.numbers`).

Conventions (chosen once, so templates stay plain):

* Formulas return **raw numbers** (floats/ints); templates use plain `{name}` placeholders and the
  renderer formats floats with `format_number` (3 significant figures, thousands separators,
  ``3.15×10^23`` for very large or small values).
* Decimal units throughout: 1 GB = 10^9 bytes, 1 TB/s = 10^12 bytes/s; binary only where the name
  says so (KiB, MiB, GiB = 2^10, 2^20, 2^30 bytes).
* Model sizes (`params_b`) and token counts (`tokens_b`) are in **billions**.
* `precision` may be a name (``"FP16"`` → 2 bytes, ``"INT4"`` → 0.5) or a number of bytes.
* A link or memory bandwidth (`link`, `bandwidth`) may be a string with its unit (``"450 GB/s"``,
  ``"400 Gb/s"`` = 50 GB/s, ``"3.35 TB/s"``) or a number in GB/s (bytes, not bits).
* Peak compute (`peak_tflops`) is the dense figure in TFLOPS (10^12 FLOP/s).
"""
from __future__ import annotations

import math

from quizapp.deck.formula_kit import (
    ADAM_MIXED_BYTES,
    FORMULAS,
    GB,
    GIB,
    KIB,
    MIB,
    PF_DAY,
    SECONDS_PER_DAY,
    Formula,
    bytes_per_value,
    format_number,
    formula,
    gb_per_s,
    rated_in_bits,
    show_value,
    zero_stage,
)

__all__ = ["ADAM_MIXED_BYTES", "FORMULAS", "GB", "GIB", "KIB", "MIB", "PF_DAY", "SECONDS_PER_DAY",
           "Formula", "bytes_per_value", "format_number", "formula", "gb_per_s", "show_value",
           "zero_stage"]


# --------------------------------------------------------------------------- E1 weights


@formula(unit="GB", outputs=("answer", "bytes_per_param", "total_bytes", "gib"))
def weights_memory(params_b, precision):
    """Weight memory = parameters × bytes per parameter (scale overhead ignored)."""
    bpp = bytes_per_value(precision)
    total = params_b * 1e9 * bpp
    return {"answer": total / GB, "bytes_per_param": bpp, "total_bytes": total, "gib": total / GIB}


@formula(unit="GiB", outputs=("answer", "bytes", "ratio"))
def gb_to_gib(gb):
    """Decimal gigabytes to binary gibibytes: ÷ 1.0737."""
    total = gb * GB
    return {"answer": total / GIB, "bytes": total, "ratio": GIB / GB}


# --------------------------------------------------------------------------- E2 training memory


@formula(
    unit="GB",
    outputs=(
        "answer", "stage_num", "total_states_gb", "weights_gb", "grads_gb", "optim_gb",
        "weights_bytes_per_param", "grads_bytes_per_param", "optim_bytes_per_param",
    ),
)
def training_memory_per_gpu(params_b, gpus, stage):
    """Model-state memory per GPU, mixed-precision Adam (2 + 2 + 12 bytes/param), DP or ZeRO-1/2/3.

    Stage 1 shards the 12 optimizer bytes, stage 2 also the 2 gradient bytes, stage 3 also the
    2 weight bytes, each across `gpus` data-parallel ranks. Activations are not included.
    """
    s = zero_stage(stage)
    w = 2 / gpus if s >= 3 else 2.0
    g = 2 / gpus if s >= 2 else 2.0
    o = 12 / gpus if s >= 1 else 12.0
    psi_gb = params_b * 1e9 / GB
    return {
        "answer": (w + g + o) * psi_gb,
        "stage_num": s,
        "total_states_gb": ADAM_MIXED_BYTES * psi_gb,
        "weights_gb": w * psi_gb,
        "grads_gb": g * psi_gb,
        "optim_gb": o * psi_gb,
        "weights_bytes_per_param": w,
        "grads_bytes_per_param": g,
        "optim_bytes_per_param": o,
    }


@formula(unit="GPUs", outputs=("answer", "total_states_gb", "exact"))
def zero3_min_gpus(params_b, gpu_mem_gb):
    """Fewest GPUs whose combined memory holds all 16 bytes/param of fully sharded model states."""
    total = ADAM_MIXED_BYTES * params_b * 1e9 / GB
    exact = total / gpu_mem_gb
    return {"answer": float(math.ceil(exact - 1e-9)), "total_states_gb": total, "exact": exact}


# --------------------------------------------------------------------------- E3/E4 KV cache


def _kv_bytes_per_token(layers, kv_heads, head_dim, precision) -> float:
    return 2 * layers * kv_heads * head_dim * bytes_per_value(precision)


@formula(unit="KiB", outputs=("answer", "bytes_per_token", "bytes_per_value", "mib"))
def kv_cache_per_token(layers, kv_heads, head_dim, precision):
    """KV bytes per token = 2 (K and V) × layers × KV heads × head_dim × bytes per value."""
    b = _kv_bytes_per_token(layers, kv_heads, head_dim, precision)
    return {
        "answer": b / KIB,
        "bytes_per_token": b,
        "bytes_per_value": bytes_per_value(precision),
        "mib": b / MIB,
    }


@formula(
    unit="GiB",
    outputs=("answer", "bytes_per_token", "bytes_per_value", "kib_per_token", "tokens",
             "total_bytes", "gb", "gib_per_seq"),
)
def kv_cache_total(layers, kv_heads, head_dim, precision, context, batch):
    """KV cache of `batch` sequences of `context` tokens each."""
    b = _kv_bytes_per_token(layers, kv_heads, head_dim, precision)
    tokens = context * batch
    total = b * tokens
    return {
        "answer": total / GIB,
        "bytes_per_token": b,
        "bytes_per_value": bytes_per_value(precision),
        "kib_per_token": b / KIB,
        "tokens": tokens,
        "total_bytes": total,
        "gb": total / GB,
        "gib_per_seq": b * context / GIB,
    }


@formula(
    unit="GiB",
    outputs=("answer", "ratio", "gqa_gib", "mha_gib", "gqa_kib_per_token", "mha_kib_per_token"),
)
def kv_cache_mha_vs_gqa(layers, query_heads, kv_heads, head_dim, precision, context, batch):
    """KV cache the same model would need with MHA (one K/V head per query head), vs its GQA."""
    gqa = _kv_bytes_per_token(layers, kv_heads, head_dim, precision)
    mha = _kv_bytes_per_token(layers, query_heads, head_dim, precision)
    tokens = context * batch
    return {
        "answer": mha * tokens / GIB,
        "ratio": query_heads / kv_heads,
        "gqa_gib": gqa * tokens / GIB,
        "mha_gib": mha * tokens / GIB,
        "gqa_kib_per_token": gqa / KIB,
        "mha_kib_per_token": mha / KIB,
    }


@formula(unit="×", outputs=("answer", "group_size"))
def gqa_kv_ratio(query_heads, kv_heads):
    """How many times smaller the KV cache is with `kv_heads` K/V heads than with full MHA."""
    return {"answer": query_heads / kv_heads, "group_size": query_heads / kv_heads}


@formula(
    unit="sequences",
    outputs=("answer", "budget_gb", "weights_gb", "free_gb", "kv_gb_per_seq", "whole", "quotient",
             "fraction_pct", "budget_text", "weights_text", "free_text", "kv_text"),
)
def kv_cache_capacity(gpu_mem_gb, mem_fraction, params_b, precision, kv_mib_per_token, context):
    """How many full-length sequences fit in the memory left after the weights: a whole number,
    the quotient rounded *down* (a sequence that does not fit whole does not fit).

    `quotient` is the unrounded division as text, cut (not rounded) to two decimals, so a
    worked solution never shows "21" for 20.97 next to an answer of 20; the `*_text` outputs give
    the steps enough digits that a learner can redo each division and get the same quotient.
    """
    budget = gpu_mem_gb * mem_fraction
    weights = params_b * 1e9 * bytes_per_value(precision) / GB
    free = budget - weights
    per_seq = kv_mib_per_token * MIB * context / GB
    n = free / per_seq
    whole = float(math.floor(n + 1e-9))
    return {
        "answer": whole,
        "budget_gb": budget,
        "weights_gb": weights,
        "free_gb": free,
        "kv_gb_per_seq": per_seq,
        "whole": whole,
        "quotient": f"{math.floor(n * 100 + 1e-9) / 100:.2f}",
        "fraction_pct": mem_fraction * 100,
        "budget_text": f"{budget:.2f}",
        "weights_text": f"{weights:.2f}",
        "free_text": f"{free:.2f}",
        "kv_text": f"{per_seq:.4f}",
    }


# --------------------------------------------------------------------------- E5 FLOPs


@formula(unit="FLOPs", outputs=("answer", "n", "d", "pf_days"))
def training_flops(params_b, tokens_b):
    """Training compute of a dense transformer ≈ 6 × parameters × training tokens."""
    n, d = params_b * 1e9, tokens_b * 1e9
    c = 6 * n * d
    return {"answer": c, "n": n, "d": d, "pf_days": c / PF_DAY}


@formula(unit="PF-days", outputs=("answer", "flops", "pf_day_flops"))
def training_pf_days(params_b, tokens_b):
    """Training compute in petaflop/s-days (1 PF-day = 10^15 FLOP/s × 86,400 s)."""
    c = 6 * params_b * 1e9 * tokens_b * 1e9
    return {"answer": c / PF_DAY, "flops": c, "pf_day_flops": PF_DAY}


@formula(unit="FLOPs", outputs=("answer", "per_token", "n", "tokens_word"))
def forward_flops(params_b, tokens):
    """Forward-pass compute ≈ 2 × parameters per token (attention term ignored).

    `tokens_word` is "token" or "tokens", so an English template reads right for one token too.
    """
    n = params_b * 1e9
    word = "token" if tokens == 1 else "tokens"
    return {"answer": 2 * n * tokens, "per_token": 2 * n, "n": n, "tokens_word": word}


# --------------------------------------------------------------------------- E6/E7 time and MFU


def _gpu_seconds(params_b, tokens_b, peak_tflops, mfu_pct) -> dict[str, float]:
    c = 6 * params_b * 1e9 * tokens_b * 1e9
    sustained = peak_tflops * 1e12 * mfu_pct / 100
    s = c / sustained
    return {
        "flops": c,
        "sustained_flops": sustained,
        "sustained_tflops": sustained / 1e12,
        "gpu_seconds": s,
        "gpu_hours": s / 3600,
        "gpu_days": s / SECONDS_PER_DAY,
    }


_TIME_OUT = ("flops", "sustained_flops", "sustained_tflops", "gpu_seconds", "gpu_hours", "gpu_days")


@formula(unit="GPU-hours", outputs=("answer", *_TIME_OUT))
def training_gpu_hours(params_b, tokens_b, peak_tflops, mfu_pct):
    """GPU-hours = 6·N·D ÷ (peak FLOP/s × MFU) ÷ 3,600."""
    out = _gpu_seconds(params_b, tokens_b, peak_tflops, mfu_pct)
    return {"answer": out["gpu_hours"], **out}


@formula(unit="GPU-days", outputs=("answer", *_TIME_OUT))
def training_gpu_days(params_b, tokens_b, peak_tflops, mfu_pct):
    """GPU-days = 6·N·D ÷ (peak FLOP/s × MFU) ÷ 86,400."""
    out = _gpu_seconds(params_b, tokens_b, peak_tflops, mfu_pct)
    return {"answer": out["gpu_days"], **out}


@formula(unit="days", outputs=("answer", *_TIME_OUT))
def training_wall_days(params_b, tokens_b, peak_tflops, mfu_pct, gpus):
    """Wall-clock days on `gpus` GPUs = GPU-days ÷ number of GPUs (perfect scaling assumed)."""
    out = _gpu_seconds(params_b, tokens_b, peak_tflops, mfu_pct)
    return {"answer": out["gpu_days"] / gpus, **out}


@formula(unit="%", outputs=("answer", "flops_per_token", "achieved_flops", "achieved_tflops"))
def mfu_from_throughput(params_b, tokens_per_s, peak_tflops):
    """MFU = 6·N × tokens/s per GPU ÷ peak FLOP/s per GPU."""
    per_token = 6 * params_b * 1e9
    achieved = per_token * tokens_per_s
    return {
        "answer": 100 * achieved / (peak_tflops * 1e12),
        "flops_per_token": per_token,
        "achieved_flops": achieved,
        "achieved_tflops": achieved / 1e12,
    }


# --------------------------------------------------------------------------- E8 decoding


@formula(
    unit="tokens/s",
    outputs=("answer", "bytes_per_param", "weight_bytes", "weight_gb", "bandwidth_gb_s",
             "ms_per_token"),
)
def decode_tokens_per_s(params_b, precision, bandwidth):
    """Batch-1 decode ceiling: every step re-reads all weights, so tokens/s ≤ bandwidth ÷ bytes."""
    bpp = bytes_per_value(precision)
    wbytes = params_b * 1e9 * bpp
    bw = gb_per_s(bandwidth) * GB
    rate = bw / wbytes
    return {
        "answer": rate,
        "bytes_per_param": bpp,
        "weight_bytes": wbytes,
        "weight_gb": wbytes / GB,
        "bandwidth_gb_s": bw / GB,
        "ms_per_token": 1000 / rate,
    }


@formula(
    unit="tokens/s",
    outputs=("answer", "weight_gb", "kv_gb_per_seq", "kv_gb", "step_gb", "ms_per_step",
             "per_user", "bandwidth_gb_s"),
)
def decode_batched_tokens_per_s(params_b, precision, bandwidth, batch, context, kv_mib_per_token):
    """Aggregate decode ceiling at batch B: each step reads the weights once plus B KV caches."""
    weights = params_b * 1e9 * bytes_per_value(precision) / GB
    kv_seq = kv_mib_per_token * MIB * context / GB
    step = weights + batch * kv_seq
    bw = gb_per_s(bandwidth)
    steps_per_s = bw / step
    return {
        "answer": steps_per_s * batch,
        "weight_gb": weights,
        "kv_gb_per_seq": kv_seq,
        "kv_gb": batch * kv_seq,
        "step_gb": step,
        "ms_per_step": 1000 / steps_per_s,
        "per_user": steps_per_s,
        "bandwidth_gb_s": bw,
    }


# --------------------------------------------------------------------------- E9 communication


@formula(unit="GB/s", outputs=("answer", "bits_per_byte"))
def gbit_to_gbyte(gbps):
    """Gigabits per second to gigabytes per second: ÷ 8."""
    return {"answer": gbps / 8, "bits_per_byte": 8}


@formula(unit="s", outputs=("answer", "factor", "sent_gb", "link_gb_s", "link_text", "ms"))
def ring_allreduce_time(message_gb, gpus, link):
    """Ring all-reduce: each GPU sends 2(N−1)/N × message; time ≈ that ÷ per-direction bandwidth.

    `link_text` shows the bit→byte step for a link rated in bits ("400 Gb/s ÷ 8 = 50 GB/s") and
    just the byte rate otherwise, so a worked solution never hides the conversion it depends on.
    """
    factor = 2 * (gpus - 1) / gpus
    sent = factor * message_gb
    bw = gb_per_s(link)
    t = sent / bw
    text = f"{format_number(bw)} GB/s"
    if rated_in_bits(link):
        text = f"{str(link).strip()} ÷ 8 = {text}"
    return {"answer": t, "factor": factor, "sent_gb": sent, "link_gb_s": bw, "link_text": text,
            "ms": t * 1000}


# --------------------------------------------------------------------------- E10 pipeline, batch


@formula(unit="%", outputs=("answer", "fraction", "idle_pct", "numerator"))
def pipeline_bubble(stages, microbatches):
    """Bubble ≈ (p − 1)/m of the ideal compute time; (p − 1)/(m + p − 1) of wall-clock is idle."""
    frac = (stages - 1) / microbatches
    return {
        "answer": 100 * frac,
        "fraction": frac,
        "idle_pct": 100 * (stages - 1) / (microbatches + stages - 1),
        "numerator": stages - 1,
    }


@formula(unit="tokens", outputs=("answer", "sequences", "millions"))
def global_batch_tokens(micro_batch, accum_steps, dp_ranks, seq_len):
    """Global batch = micro-batch × accumulation steps × DP ranks (sequences) × sequence length."""
    seqs = micro_batch * accum_steps * dp_ranks
    tokens = seqs * seq_len
    return {"answer": float(tokens), "sequences": seqs, "millions": tokens / 1e6}
