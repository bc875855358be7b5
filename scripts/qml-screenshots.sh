#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Regenerates docs/images/qml-example.png (running) and qml-example-failure.png (a worker
# failed) from examples/qml under Xvfb. Needs xvfb and xauth (apt-get install xvfb xauth).
# Usage: scripts/qml-screenshots.sh   (after a build with the preset "default")
set -eu
cd "$(dirname "$0")/.."

example=build/default/examples/qml/rungroup-qml-example
mkdir -p docs/images
xvfb-run -a -s "-screen 0 1024x768x24" "$example" \
    --screenshot docs/images/qml-example.png --screenshot-delay 2600
# The failing run exits with 1, as it should.
xvfb-run -a -s "-screen 0 1024x768x24" "$example" --fail-after 2000 \
    --screenshot docs/images/qml-example-failure.png --screenshot-delay 2700 || true
