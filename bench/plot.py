#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
"""Renders rungroup-bench's CSV as a PNG: cost against N, log-log, one panel per time
scenario, one line per implementation (the median; the shaded band reaches the p90).

Usage: /usr/bin/python3 bench/plot.py bench-results.csv -o docs/images/bench.png [--stack KiB]
Needs matplotlib (Debian: python3-matplotlib); it is not a build dependency.
"""

import argparse
import collections
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

IMPLEMENTATIONS = [
    ("rungroup", "RunGroup", "tab:blue"),
    ("stdthread", "std::thread", "tab:gray"),
    ("qthread", "QThread", "tab:orange"),
    ("parked", "parked threads", "tab:purple"),
    ("adopted", "std::thread + QThread", "tab:brown"),
    ("go", "Go", "tab:green"),
]
SCENARIOS = ["cycle", "latency", "rerun"]


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def percentile90(values):
    values = sorted(values)
    return values[max(math.ceil(0.9 * len(values)), 1) - 1]


def leading_digit(value):
    return round(value / 10 ** math.floor(math.log10(value))) if value > 0 else 0


def read_samples(path, stack):
    """Returns {(impl, scenario): {N: [milliseconds, ...]}} for the time figures at one stack
    size (KiB; None: the first in the file; a CSV without a stack column has one)."""
    samples = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(path, newline="") as file:
        for row in csv.DictReader(file):
            row_stack = row.get("stack")
            if stack is None:
                stack = row_stack
            if row["unit"] == "ns" and row_stack == stack:
                samples[(row["impl"], row["scenario"])][int(row["N"])].append(
                    float(row["value"]) / 1e6
                )
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="the file rungroup-bench --csv wrote")
    parser.add_argument("-o", "--output", required=True, help="the PNG to write")
    parser.add_argument("--stack", help="the actor stack (KiB) to plot; default: the first")
    args = parser.parse_args()

    samples = read_samples(args.csv, args.stack)
    scenarios = [s for s in SCENARIOS if any(key[1] == s for key in samples)]
    if not scenarios:
        sys.exit(f"plot.py: no time figures in {args.csv}")

    figure, axes = plt.subplots(
        1, len(scenarios), figsize=(4.2 * len(scenarios), 4), squeeze=False
    )
    for axis, scenario in zip(axes[0], scenarios):
        for impl, label, color in IMPLEMENTATIONS:
            by_n = samples.get((impl, scenario))
            if not by_n:
                continue
            sizes = sorted(by_n)
            medians = [median(by_n[n]) for n in sizes]
            p90s = [percentile90(by_n[n]) for n in sizes]
            axis.plot(sizes, medians, marker="o", color=color, label=label)
            axis.fill_between(sizes, medians, p90s, color=color, alpha=0.15, linewidth=0)
        axis.set_xscale("log")
        axis.set_yscale("log")
        plain = FuncFormatter(lambda value, _: f"{value:g}")
        sparse = FuncFormatter(
            lambda value, _: f"{value:g}" if leading_digit(value) in (2, 5) else ""
        )
        axis.xaxis.set_major_formatter(plain)
        axis.yaxis.set_major_formatter(plain)
        low, high = axis.get_ylim()
        # Label the minor ticks too when the panel spans less than two decades.
        axis.yaxis.set_minor_formatter(sparse if high < 100 * low else NullFormatter())
        axis.set_title(f"{scenario}(N)")
        axis.set_xlabel("N (actors)")
        axis.grid(True, which="major", alpha=0.4)
    axes[0][0].set_ylabel("time (ms), median; band to p90")
    axes[0][0].legend()
    figure.tight_layout()
    figure.savefig(args.output, dpi=110)


if __name__ == "__main__":
    main()
