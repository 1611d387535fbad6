#!/usr/bin/env bash
# Usage: claude-working.sh [WORK_SECONDS=3] [AFTER_SECONDS=1]
# Prints like Claude Code at work: the spinner line "✻ Thinking… (Ns · esc to interrupt)" redrawn above the
# input box for WORK_SECONDS, then the tool permission menu ("Do you want to proceed?" ❯ 1. Yes …), and reads
# the answer. Answered, it works AFTER_SECONDS more and rests at its empty input box, reading forever.
set -u

source "$(dirname "$0")/claude-screen.sh"

work=${1:-3}
after=${2:-1}

welcome 'clean up the build directory'
printf '⏺ I will remove the stale build output first.\n\n'
printf '\e7'
spin "$work"

printf '\e8\e[J'
printf '⏺ Bash(rm -rf build)\n\n'
printf '╭%s╮\n' "$rule"
printf '│ %-77s│\n' 'Bash command' '' '  rm -rf build' '  Remove the stale build output' '' 'Do you want to proceed?'
printf '│ ❯ 1. Yes%-69s│\n' ''
printf '│ %-77s│\n' "  2. Yes, and don't ask again for rm commands in this folder" '  3. No, and tell Claude what to do differently (esc)'
printf '╰%s╯\n' "$rule"
read -r answer

printf '\e8\e[J'
printf '⏺ Bash(rm -rf build)\n'
printf '  ⎿  (No content) [answer: %s]\n\n' "$answer"
printf '\e7'
spin "$after"

printf '\e8\e[J'
printf '⏺ Removed the build directory.\n\n'
printf '✻ Cooked for %ss\n\n' "$work"
input_box
printf '\e[2A\e[4G'
while :; do read -r _; done
