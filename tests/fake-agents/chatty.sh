#!/usr/bin/env bash
# Usage: chatty.sh [INTERVAL_SECONDS=0.1]
# Prints a numbered line every INTERVAL_SECONDS, forever: output that never stops.
set -u
interval=${1:-0.1}
line=0
while :; do
    line=$(( line + 1 ))
    printf 'build step %d: compiling module %d\n' "$line" $(( line % 17 ))
    sleep "$interval"
done
