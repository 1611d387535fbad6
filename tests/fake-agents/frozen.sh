#!/usr/bin/env bash
# Usage: frozen.sh
# Claude Code hung mid-task: prints its busy spinner line ("esc to interrupt") once, then never prints again.
set -u

# tmux names a pane's program after argv[0]: run as "claude" so the pane reports what Claude Code's does.
if [[ -z ${FAKE_AGENT_REEXEC:-} ]]; then
    export FAKE_AGENT_REEXEC=1
    exec -a claude bash "${BASH_SOURCE[0]}" "$@"
fi

printf '> run the test suite\n\n'
printf '⏺ Bash(npm test)\n'
printf '  ⎿  Running…\n\n'
printf '✶ Percolating… (41s · ↓ 2.3k tokens · esc to interrupt)'

# Silent from here on; the sleeping child keeps this "claude" process in the foreground.
while :; do sleep 1000; done
