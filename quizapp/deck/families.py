"""What kind of thing a term is: the fixed vocabulary behind a term's `family` key.

A definition→term question is only fair when its wrong options are the same kind of thing as the
right one (a link for a link, a metric for a metric): "Reduce-scatter" offered for the GPU
definition is eliminated at a glance. Deck authors tag each term with one family from this list,
and the loader rejects any other word, so distractor drawing can rely on it. The list is defined
once, here; docs/deck-format.md describes it for authors.
"""

from __future__ import annotations

from quizapp.deck.errors import did_you_mean

FAMILIES: dict[str, str] = {
    "processor": "a chip, a compute unit inside one, or a chip's package",
    "memory": "a memory or storage tier, or the condition of running out of it",
    "interconnect": "a link, switch, network fabric or transfer capability between devices",
    "collective": "a group communication pattern among ranks",
    "library": "a software library, framework wrapper or serving engine",
    "unit": "a unit of measure or a counted quantity",
    "resource-metric": "a measure of how much of a resource a job uses, or how well it uses it",
    "speed-metric": "a latency or throughput measure",
    "performance-model": "a way to reason about what limits a kernel's speed",
    "parallelism": "a way to split training or serving across devices",
    "data-parallel-system": "an implementation of replicated or sharded data parallelism",
    "pipeline-and-batch": "a pipeline schedule, its idle time, or a batch size",
    "training-technique": "a technique applied while training a model",
    "training-state": "something training keeps in memory besides the weights",
    "model-component": "a part or a design of the network itself",
    "scaling-rule": "an empirical rule relating model size, data, compute and quality",
    "precision-format": "a number format or a math mode",
    "efficiency-technique": "a way to make a model cheaper to store, run or fine-tune",
    "inference-phase": "a phase or mode of running a trained model",
    "serving-technique": "a technique for scheduling, batching or placing requests in serving",
}


def unknown_family_message(name: str) -> str:
    """One line for a family that is not in the vocabulary, with the closest known names."""
    known = f" (known: {', '.join(FAMILIES)})"
    return f"unknown family '{name}'{did_you_mean(name, FAMILIES, known, n=3, cutoff=0.5)}"
