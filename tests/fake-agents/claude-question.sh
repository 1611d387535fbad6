#!/usr/bin/env bash
# Usage: claude-question.sh [WORK_SECONDS=3]
# Prints like Claude Code at work (spinner "✻ Thinking… (Ns · esc to interrupt)" redrawn for WORK_SECONDS),
# then asks a question with a selection menu (AskUserQuestion: "❯ 1. …", "Enter to select · ↑/↓ to
# navigate") and reads the answer. Answered, it rests at its empty input box, reading forever.
set -u

# tmux names a pane's program after argv[0]: run as "claude" so the pane reports what Claude Code's does.
if [[ -z ${FAKE_AGENT_REEXEC:-} ]]; then
    export FAKE_AGENT_REEXEC=1
    exec -a claude bash "${BASH_SOURCE[0]}" "$@"
fi

work=${1:-3}
glyphs=('·' '✢' '✳' '✶' '✻' '✽')
rule='──────────────────────────────────────────────────────────────────────────────'

tenths() {
    local whole=${1%%.*} frac=0
    [[ $1 == *.* ]] && frac=${1#*.}
    printf -v "$2" '%d' $(( ${whole:-0} * 10 + 10#${frac:0:1} ))
}

input_box() {
    printf '╭%s╮\n' "$rule"
    printf '│ > %-75s│\n' ''
    printf '╰%s╯\n' "$rule"
    printf '  ? for shortcuts'
}

printf '\e[H\e[2J'
printf '╭───────────────────────────────────────────────────╮\n'
printf '│ ✻ Welcome to Claude Code!                         │\n'
printf '╰───────────────────────────────────────────────────╯\n\n'
printf '> scaffold the web client\n\n'
printf '\e7'
tenths "$work" total
tick=0
while (( tick <= total / 2 )); do
    printf '\e8\e[J%s Thinking… (%ds · esc to interrupt)\n\n' "${glyphs[tick % ${#glyphs[@]}]}" $(( tick / 5 ))
    input_box
    sleep 0.2
    tick=$(( tick + 1 ))
done

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
