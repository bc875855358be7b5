#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
"""Before/after: two builds of rungroup-bench, side by side in one invocation.

Runs BEFORE and AFTER (each a rungroup-bench binary, linked with its own build of the
library) alternately, one repetition at a time, in the order A B B A A B ..., so that a
drift of the machine's load touches both alike. Each repetition is one invocation of the
binary with --reps 1: fresh processes for every figure, as the bench always does. Prints
one Markdown table: RunGroup's median before and after, their ratio, each build's ratio to
the std::thread baseline measured in the same invocations, and the noise of each side (the
median absolute deviation of its samples over its median). A change larger than the noise
of both sides is marked.

    bench/compare.py --before OLD/bench/rungroup-bench --after NEW/bench/rungroup-bench \\
        [--reps 7] [--sizes 100,1000,10000] [--scenarios cycle,latency,rerun,memory] \\
        [--stack-size 256] [--csv FILE] [--implementations rungroup,stdthread]
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile


def run_once(binary, args, label, rep, rows):
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        path = f.name
    try:
        cmd = [binary, "--reps", "1", "--sizes", args.sizes, "--scenarios", args.scenarios,
               "--stack-size", str(args.stack_size), "--csv", path]
        if args.implementations:
            cmd += ["--implementations", args.implementations]
        result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        if result.returncode != 0:
            sys.exit(f"compare.py: {label} failed ({result.returncode}):\n{result.stderr}")
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                rows.append({"build": label, "rep": rep, "impl": row["impl"],
                             "scenario": row["scenario"], "N": int(row["N"]),
                             "unit": row["unit"], "value": float(row["value"])})
    finally:
        os.unlink(path)


def noise(samples):
    m = statistics.median(samples)
    if m == 0 or len(samples) < 2:
        return 0.0
    return statistics.median(abs(s - m) for s in samples) / m


def fmt(value, unit):
    if unit == "ns":
        for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
            if value >= scale:
                return f"{value / scale:.3g} {name}"
        return f"{value:.0f} ns"
    return f"{value:.2f} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="rungroup-bench of the old build")
    parser.add_argument("--after", required=True, help="rungroup-bench of the new build")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--scenarios", default="cycle,latency,rerun,memory")
    parser.add_argument("--stack-size", type=int, default=256)
    parser.add_argument("--csv", help="write every sample here")
    parser.add_argument("--implementations",
                        help="passed on (both builds must know it): e.g. rungroup,stdthread")
    args = parser.parse_args()
    for binary in (args.before, args.after):
        if not os.access(binary, os.X_OK):
            sys.exit(f"compare.py: {binary} is not an executable")

    rows = []
    order = [("before", args.before), ("after", args.after)]
    for rep in range(args.reps):
        for label, binary in (order if rep % 2 == 0 else order[::-1]):
            print(f"compare.py: rep {rep + 1}/{args.reps}: {label}", file=sys.stderr)
            run_once(binary, args, label, rep, rows)

    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)

    def samples(build, impl, scenario, n, unit):
        return [r["value"] for r in rows if r["build"] == build and r["impl"] == impl
                and r["scenario"] == scenario and r["N"] == n and r["unit"] == unit]

    keys = sorted({(r["scenario"], r["unit"], r["N"]) for r in rows},
                  key=lambda k: (args.scenarios.split(",").index(k[0]), k[1], k[2]))
    print(f"\nbench/compare.py: medians of {args.reps} fresh-process repetitions per build, "
          f"alternated; actor stacks {args.stack_size} KiB\n")
    print("| scenario | N | RunGroup before | RunGroup after | after/before | "
          "before/std::thread | after/std::thread | noise before | noise after | |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for scenario, unit, n in keys:
        before = samples("before", "rungroup", scenario, n, unit)
        after = samples("after", "rungroup", scenario, n, unit)
        base_before = samples("before", "stdthread", scenario, n, unit)
        base_after = samples("after", "stdthread", scenario, n, unit)
        if not before or not after:
            continue
        mb, ma = statistics.median(before), statistics.median(after)
        if mb == 0 and ma == 0:
            continue  # nothing to compare (no descriptor per actor, either side)
        change = ma / mb if mb else float("nan")
        nb, na = noise(before), noise(after)
        ratio_b = mb / statistics.median(base_before) if base_before and statistics.median(base_before) else float("nan")
        ratio_a = ma / statistics.median(base_after) if base_after and statistics.median(base_after) else float("nan")
        mark = ""
        if mb and abs(change - 1) > max(nb, na):
            mark = "slower" if change > 1 else "faster"
        name = scenario if unit == "ns" else f"{scenario} ({unit})"
        print(f"| {name} | {n} | {fmt(mb, unit)} | {fmt(ma, unit)} | {change:.2f}× | "
              f"{ratio_b:.2f}× | {ratio_a:.2f}× | {nb:.0%} | {na:.0%} | {mark} |")


if __name__ == "__main__":
    main()
