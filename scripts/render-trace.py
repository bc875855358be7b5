#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Renders a RunGroup trace (RUNGROUP_TRACE=file.json, Chrome trace-event JSON) as a PNG,
# also one cut short by a killed process:
# one row per actor, "running" and "interrupting" as bars, "exited" as a marker with the
# actor's exit error. Needs matplotlib (Debian: python3-matplotlib).
# Usage: scripts/render-trace.py trace.json out.png [title]
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"run": "#9e9e9e", "running": "#4c78a8", "interrupting": "#f58518"}


def load(path):
    """The events of a trace file: RunGroup writes the trace-event format's JSON array event
    by event and leaves it unterminated ("[", then "event," lines); a killed process leaves
    it so. 1.0 wrote {"traceEvents": [...]} with complete ("X") events; both are read."""
    with open(path) as f:
        text = f.read().strip()
    if text.startswith("["):
        text = text.rstrip(",")
        if not text.endswith("]"):
            text += "]"
        return json.loads(text)
    return json.loads(text)["traceEvents"]


def spans(events):
    """Complete ("X") events, with "B"/"E" pairs joined into them; a phase still open when
    the trace ends (the process was killed) lasts until the last event."""
    end = max(e["ts"] for e in events if e["ph"] != "M")
    result = [e for e in events if e["ph"] == "X"]
    open_ = {}
    for e in events:
        key = (e["pid"], e["tid"])
        if e["ph"] == "B":
            open_[key] = e
        elif e["ph"] == "E" and key in open_:
            b = open_.pop(key)
            result.append(dict(b, ph="X", dur=e["ts"] - b["ts"]))
    for b in open_.values():
        result.append(dict(b, ph="X", dur=end - b["ts"]))
    return result


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: render-trace.py trace.json out.png [title]")
    raw = load(sys.argv[1])
    events = spans(raw) + [e for e in raw if e["ph"] in ("M", "i")]
    title = sys.argv[3] if len(sys.argv) > 3 else "RunGroup run"

    lanes = {}  # (pid, tid) -> name
    for e in events:
        if e["ph"] == "M" and e["name"] == "thread_name":
            lanes[(e["pid"], e["tid"])] = e["args"]["name"]
    keys = sorted(lanes)
    row = {key: len(keys) - 1 - i for i, key in enumerate(keys)}
    t0 = min(e["ts"] for e in events if e["ph"] in ("X", "i"))

    fig, ax = plt.subplots(figsize=(9, 0.55 * len(keys) + 1.3), dpi=110)
    for e in events:
        key = (e["pid"], e["tid"])
        if key not in row:
            continue
        y = row[key]
        if e["ph"] == "X":
            start = (e["ts"] - t0) / 1000.0
            width = max(e["dur"] / 1000.0, 4.0)  # keep short phases visible
            ax.barh(y, width, left=start, height=0.5, color=COLORS.get(e["name"], "#888"),
                    edgecolor="none")
        elif e["ph"] == "i" and e["name"] == "exited":
            x = (e["ts"] - t0) / 1000.0
            ax.plot([x], [y], marker="D", color="black", markersize=5)
            ax.annotate(e["args"]["error"], (x, y), xytext=(6, 6), textcoords="offset points",
                        fontsize=8)
    ax.set_yticks([row[k] for k in keys])
    ax.set_yticklabels([lanes[k] for k in keys], fontsize=9)
    ax.set_xlabel("ms since the run started")
    ax.set_title(title, fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLORS[n]) for n in ("running", "interrupting")]
    handles.append(plt.Line2D([], [], marker="D", color="black", linestyle="none"))
    ax.legend(handles, ["running", "interrupting", "exited"], loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    xmax = ax.get_xlim()[1]
    ax.set_xlim(0, xmax * 1.25)  # room for the last labels
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
