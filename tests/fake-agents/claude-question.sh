#!/usr/bin/env bash
# Usage: claude-question.sh [WORK_SECONDS=3]
# Prints like Claude Code at work (spinner "✻ Thinking… (Ns · esc to interrupt)" redrawn for WORK_SECONDS),
# then asks a question with a selection menu (AskUserQuestion: "❯ 1. …", "Enter to select · ↑/↓ to
# navigate") and reads the answer. Answered, it rests at its empty input box, reading forever.
set -u

source "$(dirname "$0")/claude-screen.sh"

work=${1:-3}

welcome 'scaffold the web client'
printf '\e7'
spin "$work"

printf '\e8\e[J'
printf '⏺ Before I scaffold the client I need one decision from you.\n\n'
printf '%s\n' "$rule"
printf ' ☐ Framework\n\n'
printf 'Which framework should the web client use?\n\n'
printf '❯ 1. React\n     Component-based, the largest ecosystem\n'
printf '  2. Vue\n     Progressive, single-file components\n'
printf '  3. Type something.\n\n'
printf 'Enter to select · ↑/↓ to navigate · Esc to cancel\n'
read -r answer

printf '\e8\e[J'
printf '⏺ User answered Claude'"'"'s questions:\n'
printf '  ⎿  · Which framework should the web client use? → %s\n\n' "$answer"
input_box
printf '\e[2A\e[4G'
while :; do read -r _; done
