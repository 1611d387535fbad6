#!/usr/bin/env bash
# Usage: idle-box.sh
# Claude Code at rest: the welcome banner and the empty input box "│ > │" with its "? for shortcuts" footer,
# reading (and ignoring) input forever.
set -u

# tmux names a pane's program after argv[0]: run as "claude" so the pane reports what Claude Code's does.
if [[ -z ${FAKE_AGENT_REEXEC:-} ]]; then
    export FAKE_AGENT_REEXEC=1
    exec -a claude bash "${BASH_SOURCE[0]}" "$@"
fi

rule='──────────────────────────────────────────────────────────────────────────────'
printf '\e[H\e[2J'
printf '╭───────────────────────────────────────────────────╮\n'
printf '│ ✻ Welcome to Claude Code!                         │\n'
printf '│                                                   │\n'
printf '│   /help for help, /status for your current setup  │\n'
printf '╰───────────────────────────────────────────────────╯\n\n'
printf '╭%s╮\n' "$rule"
printf '│ > %-75s│\n' ''
printf '╰%s╯\n' "$rule"
printf '  ? for shortcuts'
printf '\e[2A\e[4G'
while :; do read -r _; done
