#!/usr/bin/env bash
# Usage: exits.sh CODE [DELAY_SECONDS=0.3]
# Prints a little, waits DELAY_SECONDS and exits with CODE; a signal name as CODE (KILL, TERM, SIGKILL)
# makes it kill itself with that signal instead.
set -u
code=${1:?usage: exits.sh CODE [DELAY_SECONDS]}
delay=${2:-0.3}

printf 'task: starting\n'
sleep "$delay"
printf 'task: finishing with %s\n' "$code"
if [[ $code == [A-Za-z]* ]]; then
    kill -s "${code#SIG}" $$
fi
exit "$code"
