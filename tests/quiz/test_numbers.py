"""Reading numeric answers with units, converting them, and checking them within tolerance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck.formulas import format_number
from quizapp.quiz.numbers import (
    UNITS,
    NumericVerdict,
    Quantity,
    check_numeric,
    convert,
    parse_quantity,
    resolve_unit,
)


def q(text: str, hint: str = "") -> Quantity:
    got = parse_quantity(text, hint)
    assert got is not None, text
    return got


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14", 14), ("13.5", 13.5), (".5", 0.5), ("-3.5", -3.5), ("−3.5", -3.5), ("+2", 2),
        ("1,979", 1979), ("1,234,567", 1234567), ("1 979", 1979), ("1\u2009979", 1979),
        ("1\u202f979", 1979), ("1\u00a0979", 1979), ("0,5", 0.5), ("1,234.5", 1234.5),
        ("１４", 14), ("１３．５", 13.5), ("１，９７９", 1979),
        ("1.4e10", 1.4e10), ("1.4E10", 1.4e10), ("1.4e+10", 1.4e10), ("5e-4", 5e-4),
        ("1.4×10^10", 1.4e10), ("1.4x10^10", 1.4e10), ("1.4X10^10", 1.4e10),
        ("1.4*10**10", 1.4e10), ("1.4 × 10 ^ 10", 1.4e10), ("1.4·10^10", 1.4e10),
        ("3.15×10²³", 3.15e23), ("5×10⁻⁴", 5e-4), ("10^23", 1e23), ("10²³", 1e23),
        ("~13.5", 13.5), ("≈13.5", 13.5), ("about 13.5", 13.5), ("约13.5", 13.5),
        ("大约 13.5", 13.5), ("= 13.5", 13.5), ("13.5.", 13.5), ("13.5。", 13.5),
    ],
)
def test_bare_numbers(text: str, value: float) -> None:
    got = q(text)
    assert got.unit == ""
    assert got.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3万", 3e4), ("3 亿", 3e8), ("18万", 1.8e5), ("1.5千万", 1.5e7), ("2万亿", 2e12),
     ("5十", 50), ("8.4M", 8.4e6), ("2k", 2e3), ("2K", 2e3), ("1.4T", 1.4e12), ("7 bn", 7e9),
     ("2 trillion", 2e12), ("3 million", 3e6), ("4 thousand", 4e3)],
)
def test_multipliers(text: str, value: float) -> None:
    got = q(text)
    assert got.unit == ""
    assert got.value == pytest.approx(value)


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("14 GB", 14, "GB"), ("14GB", 14, "GB"), ("１４ＧＢ", 14, "GB"), ("14 kB", 14, "KB"),
        ("14 gigabytes", None, None),
        ("1.4e10 bytes", 1.4e10, "B"), ("1.4e10 byte", 1.4e10, "B"), ("1.4e10 字节", 1.4e10, "B"),
        ("12.6 GiB", 12.6, "GiB"), ("320 KiB", 320, "KiB"), ("0.5 MiB", 0.5, "MiB"),
        ("2 TiB", 2, "TiB"), ("3 PB", 3, "PB"),
        ("400 Gb/s", 400, "Gb/s"), ("400 Gbps", 400, "Gb/s"), ("400 Gbit/s", 400, "Gb/s"),
        ("50 GB/s", 50, "GB/s"), ("50 GBps", 50, "GB/s"), ("3.35 TB/s", 3.35, "TB/s"),
        ("8 bits", 8, "b"), ("8 b", 8, "b"), ("8 B", 8, "B"),
        ("989 TFLOPS", 989, "TFLOPS"), ("989 TFLOP/s", 989, "TFLOPS"),
        ("3.15e23 FLOPs", 3.15e23, "FLOPs"), ("3.15e23 FLOP", 3.15e23, "FLOPs"),
        ("315 ZFLOPs", 315, "ZFLOPs"), ("1 PFLOPS", 1, "PFLOPS"), ("3,640 PF-days", 3640, "PF-days"),
        ("54 ms", 54, "ms"), ("0.49 s", 0.49, "s"), ("12 µs", 12, "µs"), ("12 us", 12, "µs"),
        ("12 μs", 12, "µs"), ("5 min", 5, "min"), ("3 h", 3, "h"), ("3 hours", 3, "h"),
        ("2.3 days", 2.3, "days"), ("0.49秒", 0.49, "s"), ("54毫秒", 54, "ms"), ("2 天", 2, "days"),
        ("3 小时", 3, "h"), ("7,500 GPU-days", 7500, "GPU-days"), ("7500 GPU days", 7500, "GPU-days"),
        ("7500 GPU天", 7500, "GPU-days"), ("180,000 GPU-hours", 180000, "GPU-hours"),
        ("180000 GPU hours", 180000, "GPU-hours"), ("18万卡时", 180000, "GPU-hours"),
        ("1.8e5 gpu-h", 180000, "GPU-hours"),
        ("249 tokens/s", 249, "tokens/s"), ("249 tok/s", 249, "tokens/s"),
        ("249 tokens per second", 249, "tokens/s"), ("249 token/s", 249, "tokens/s"),
        ("249 tokens每秒", 249, "tokens/s"), ("3 requests/s", 3, "requests/s"),
        ("3 req/s", 3, "requests/s"), ("3 RPS", 3, "requests/s"),
        ("41%", 41, "%"), ("41 %", 41, "%"), ("41％", 41, "%"), ("百分之41", 41, "%"),
        ("8x", 8, "×"), ("8×", 8, "×"), ("8 倍", 8, "×"), ("8 times", 8, "×"),
        ("8.4M tokens", 8.4e6, "tokens"), ("8.4 M tokens", 8.4e6, "tokens"),
        ("2T tokens", 2e12, "tokens"), ("7B params", 7e9, "params"), ("840万 tokens", 8.4e6, "tokens"),
        ("27 sequences", 27, "sequences"), ("27 条", 27, "sequences"), ("14 GPUs", 14, "GPUs"),
        ("14 张卡", 14, "GPUs"),
        ("37 GB per GPU", 37, "GB"), ("37 GB/GPU", 37, "GB"), ("37GB每卡", 37, "GB"),
        ("10,000 tokens/s/GPU", 10000, "tokens/s"), ("约 13.5GB左右", 13.5, "GB"),
    ],
)
def test_units(text: str, value: float | None, unit: str | None) -> None:
    got = parse_quantity(text)
    if value is None:
        assert got is None
        return
    assert got is not None, text
    assert got.unit == unit
    assert got.value == pytest.approx(value)


def test_lone_B_is_bytes_not_billion() -> None:
    assert q("7B") == Quantity(7, "B")


@pytest.mark.parametrize("text", ["", "   ", "hello", "GB", "fourteen", "1.2.3 GB", "14 kg", "$5",
                                  "1e999", "10^99999", "NaN", "inf", "14 GB/s/s", "--5"])
def test_unreadable(text: str) -> None:
    assert parse_quantity(text) is None


# --------------------------------------------------------------------------- ambiguity


def test_case_decides_bits_vs_bytes() -> None:
    assert q("400 Gb/s").unit == "Gb/s"
    assert q("400 GB/s").unit == "GB/s"
    assert q("400 Gb").unit == "Gb"
    assert q("400 GB").unit == "GB"


def test_lowercase_gb_is_resolved_by_the_hint() -> None:
    assert q("14 gb").unit == "GB"  # default: bytes
    assert q("14 gb", hint="GB").unit == "GB"
    assert q("400 gb/s", hint="Gb/s").unit == "Gb/s"
    assert q("50 gb/s", hint="GB/s").unit == "GB/s"
    assert q("400 gbps").unit == "Gb/s"  # "bps" is bits whatever the case
    assert q("400 gbps", hint="GB/s").unit == "Gb/s"


def test_lowercase_flops_is_resolved_by_the_hint() -> None:
    assert q("989 tflops").unit == "TFLOPS"  # default: the rate
    assert q("3e23 flops", hint="FLOPs").unit == "FLOPs"
    assert q("3e23 flops").unit == "FLOPS"
    assert q("3e23 flop").unit == "FLOPs"  # no trailing s: a count


def dimension(unit: str) -> str | None:
    """The dimension of a unit spelling as the unit table has it ("" for a bare number)."""
    canon = resolve_unit(unit)
    if canon is None:
        return None
    return UNITS[canon][0] if canon else ""


def test_resolve_unit_and_dimension() -> None:
    assert resolve_unit("gigabit/s") is None
    assert resolve_unit("Gbps") == "Gb/s"
    assert dimension("GB") == dimension("Gb") == "data"
    assert dimension("FLOPs") == "flop"
    assert dimension("FLOPS") == "flop_rate"
    assert dimension("") == ""
    assert dimension("furlongs") is None


# --------------------------------------------------------------------------- convert


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("14 GB", "GB", 14), ("14GB", "GB", 14), ("1.4e10 bytes", "GB", 14), ("1.4×10^10 B", "GB", 14),
        ("14000 MB", "GB", 14), ("0.014 TB", "GB", 14), ("400 Gb/s", "GB/s", 50),
        ("50 GB/s", "Gb/s", 400), ("3.35 TB/s", "GB/s", 3350), ("8 bits", "B", 1),
        ("1 GiB", "GB", 1.073741824), ("80 GB", "GiB", 74.505806), ("0.5 MiB", "KiB", 512),
        ("54 ms", "s", 0.054), ("1 h", "s", 3600), ("1 days", "h", 24), ("7500 GPU-days", "GPU-hours", 180000),
        ("3640 PF-days", "FLOPs", 3.14496e23), ("989 TFLOPS", "PFLOPS", 0.989),
        ("41 %", "%", 41), ("8×", "%", 800), ("8.4M tokens", "tokens", 8.4e6),
        ("1 TFLOPs", "FLOPs", 1e12),
    ],
)
def test_convert(text: str, unit: str, expected: float) -> None:
    assert convert(q(text), unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "unit"),
    [("3e23 FLOPs", "FLOPS"), ("989 TFLOPS", "TFLOPs"), ("3640 PF-days", "PFLOPS"),
     ("14 GB", "GB/s"), ("50 GB/s", "GB"), ("54 ms", "GB"), ("14 GB", "furlongs"),
     ("3 days", "GPU-days"), ("14", "GB"), ("14 GB", "")],
)
def test_convert_incompatible(text: str, unit: str) -> None:
    assert convert(q(text), unit) is None


def test_400_gbit_equals_50_gbyte() -> None:
    assert convert(q("400 Gb/s"), "GB/s") == pytest.approx(convert(q("50 GB/s"), "GB/s"))
    assert convert(q("400 Gb/s"), "GB/s") != pytest.approx(convert(q("400 GB/s"), "GB/s"))


# --------------------------------------------------------------------------- check_numeric


@pytest.mark.parametrize("text", ["14 GB", "14GB", "１４ＧＢ", "1.4e10 bytes", "1.4×10^10 B",
                                  "14", "14000 MB", "13.04 GiB", "~14 GB", "112 Gb"])
def test_all_forms_of_14_gb_pass(text: str) -> None:
    v = check_numeric(text, 14, "GB", 0.05)
    assert v.correct, v.message
    assert v.value_in_unit == pytest.approx(14, rel=0.01)


def test_bits_answer_for_bytes_question_is_wrong_and_explained() -> None:
    v = check_numeric("50 Gb/s", 50, "GB/s", 0.1)
    assert not v.correct
    assert v.value_in_unit == pytest.approx(6.25)
    assert "GB/s expected" in v.message and "Gb/s" in v.message and "8×" in v.message


def test_400_gbits_for_50_gbytes_is_right() -> None:
    v = check_numeric("400 Gb/s", 50, "GB/s", 0.1)
    assert v.correct
    assert "400 Gb/s = 50 GB/s" in v.message


def test_bare_400_for_50_gbytes_hints_at_bits() -> None:
    v = check_numeric("400", 50, "GB/s", 0.1)
    assert not v.correct
    assert "bits vs bytes" in v.message


def test_flops_count_vs_rate_incompatible() -> None:
    v = check_numeric("3.15e23 FLOPS", 3.15e23, "FLOPs", 0.1)
    assert not v.correct
    assert v.value_in_unit is None
    assert "FLOP/s" in v.message and "count" in v.message
    w = check_numeric("989 TFLOPs", 989, "TFLOPS", 0.1)
    assert not w.correct and w.value_in_unit is None


def test_lowercase_flops_follows_the_drill() -> None:
    assert check_numeric("3.15e23 flops", 3.15e23, "FLOPs", 0.05).correct
    assert check_numeric("989 tflops", 989, "TFLOPS", 0.05).correct


def test_unreadable_answer() -> None:
    v = check_numeric("no idea", 14, "GB", 0.05)
    assert v == NumericVerdict(False, None, None, v.message)
    assert "could not read a number" in v.message


def test_wrong_dimension_is_explained() -> None:
    v = check_numeric("14 GB/s", 14, "GB", 0.05)
    assert not v.correct and v.value_in_unit is None
    assert "data rate" in v.message


@pytest.mark.parametrize(
    ("text", "ok"),
    [("110", True), ("90", True), ("110.0001", False), ("89.999", False), ("100", True),
     ("0.11 ks", True), ("111 s", False)],
)
def test_tolerance_edges(text: str, ok: bool) -> None:
    assert check_numeric(text, 100, "s", 0.1).correct is ok


def test_tolerance_edge_with_float_noise() -> None:
    # 13.48 × 1.05 is not exactly representable; the boundary must still pass
    assert check_numeric(repr(13.48 * 1.05), 13.48, "GB", 0.05).correct
    assert check_numeric("14.15", 13.48, "GB", 0.05).correct
    assert not check_numeric("14.2", 13.48, "GB", 0.05).correct


def test_other_units_convert_before_comparing() -> None:
    assert check_numeric("490 ms", 0.49, "s", 0.1).correct
    assert check_numeric("54 ms", 0.0544, "s", 0.1).correct
    assert check_numeric("0.5 MiB", 512, "KiB", 0.05).correct
    assert check_numeric("8.4M", 8_388_608, "tokens", 0.05).correct
    assert check_numeric("840万", 8_388_608, "tokens", 0.05).correct
    assert check_numeric("18万卡时", 180_021, "GPU-hours", 0.1).correct
    assert check_numeric("3.15×10²³", 3.15e23, "FLOPs", 0.05).correct
    assert check_numeric("3640 PF-days", 3.15e23, "FLOPs", 0.05).correct
    assert check_numeric("14 张卡", 14, "GPUs", 0.05).correct


def test_gib_gb_mixup_is_caught_at_tight_tolerance() -> None:
    v = check_numeric("13.5", 12.55, "GiB", 0.05)  # typed the GB figure into a GiB drill
    assert not v.correct
    assert "GiB" in v.message


def test_plain_time_for_gpu_time_drill_is_accepted_with_a_note() -> None:
    v = check_numeric("7500 days", 7500, "GPU-days", 0.1)
    assert v.correct
    assert "GPU-days" in v.message


def test_fraction_for_percent_drill() -> None:
    v = check_numeric("0.41", 40.9, "%", 0.1)
    assert v.correct and v.value_in_unit == pytest.approx(41)
    assert check_numeric("41", 40.9, "%", 0.1).correct
    assert check_numeric("41%", 40.9, "%", 0.1).correct
    assert not check_numeric("20%", 40.9, "%", 0.1).correct


def test_ratio_hints() -> None:
    assert "prefix" in check_numeric("14000", 14, "GB", 0.05).message
    assert "factor of 2" in check_numeric("1979", 989, "TFLOPS", 0.05).message


def test_expected_zero_uses_absolute_tolerance() -> None:
    assert check_numeric("0.05", 0, "s", 0.1).correct
    assert not check_numeric("0.5", 0, "s", 0.1).correct


# --------------------------------------------------------------------------- properties

finite = st.floats(min_value=1e-12, max_value=1e30, allow_nan=False, allow_infinity=False)


@given(x=finite, negative=st.booleans())
@pytest.mark.slow
@settings(max_examples=500)
def test_format_number_reparses_within_half_a_percent(x: float, negative: bool) -> None:
    value = -x if negative else x
    parsed = parse_quantity(format_number(value))
    assert parsed is not None, format_number(value)
    assert parsed.unit == ""
    assert abs(parsed.value - value) <= 0.005 * abs(value) * (1 + 1e-9)


@given(x=finite, unit=st.sampled_from(["GB", "GiB", "GB/s", "Gb/s", "s", "ms", "tokens/s",
                                         "FLOPs", "TFLOPS", "GPU-days", "%", "PF-days"]))
@pytest.mark.slow
@settings(max_examples=300)
def test_format_number_with_unit_reparses(x: float, unit: str) -> None:
    text = f"{format_number(x)} {unit}"
    parsed = parse_quantity(text, hint=unit)
    assert parsed is not None, text
    assert parsed.unit == unit
    assert check_numeric(text, x, unit, 0.006).correct


@given(st.text(max_size=60))
@pytest.mark.slow
@settings(max_examples=1000)
def test_parse_never_raises(text: str) -> None:
    parse_quantity(text)
    parse_quantity(text, hint="GB")


@given(st.text(alphabet="0123456789.,eE×x*^ ⁰¹²³⁻+-万亿千MkKGBbTsiFLOPS/%", max_size=30))
@pytest.mark.slow
@settings(max_examples=1000)
def test_parse_and_check_never_raise_on_numberish_text(text: str) -> None:
    got = parse_quantity(text, hint="GB/s")
    assert got is None or isinstance(got.value, float)
    verdict = check_numeric(text, 50, "GB/s", 0.1)
    assert isinstance(verdict.message, str) and verdict.message
