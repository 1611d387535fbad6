#!/usr/bin/env bash
# Usage: claude-working.sh [WORK_SECONDS=3] [AFTER_SECONDS=1]
# Prints like Claude Code at work: the spinner line "✻ Thinking… (Ns · esc to interrupt)" redrawn above the
# input box for WORK_SECONDS, then the tool permission menu ("Do you want to proceed?" ❯ 1. Yes …), and reads
# the answer. Answered, it works AFTER_SECONDS more and rests at its empty input box, reading forever.
set -u

# tmux names a pane's program after argv[0]: run as "claude" so the pane reports what Claude Code's does.
if [[ -z ${FAKE_AGENT_REEXEC:-} ]]; then
    export FAKE_AGENT_REEXEC=1
    exec -a claude bash "${BASH_SOURCE[0]}" "$@"
fi

work=${1:-3}
after=${2:-1}
glyphs=('·' '✢' '✳' '✶' '✻' '✽')
rule='──────────────────────────────────────────────────────────────────────────────'

# Seconds ("1.5") to tenths of a second, without external programs.
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

# Redraws the spinner (and the input box under it) every 0.2 s for the given seconds; output flows all along.
spin() {
    local total tick=0 ticks
    tenths "$1" total
    ticks=$(( total / 2 ))
    while (( tick <= ticks )); do
        printf '\e8\e[J%s Thinking… (%ds · esc to interrupt)\n\n' "${glyphs[tick % ${#glyphs[@]}]}" $(( tick / 5 ))
        input_box
        sleep 0.2
        tick=$(( tick + 1 ))
    done
}

printf '\e[H\e[2J'
printf '╭───────────────────────────────────────────────────╮\n'
printf '│ ✻ Welcome to Claude Code!                         │\n'
printf '╰───────────────────────────────────────────────────╯\n\n'
printf '> clean up the build directory\n\n'
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
