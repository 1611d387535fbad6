# Sourced by the Claude-like fake agents: re-runs the script as "claude", and draws Claude Code's pieces
# (the spinner line above the input box, the input box, the welcome banner).
# Not executable on its own.

# tmux names a pane's program after argv[0]: run as "claude" so the pane reports what Claude Code's does.
if [[ -z ${FAKE_AGENT_REEXEC:-} ]]; then
    export FAKE_AGENT_REEXEC=1
    exec -a claude bash "$0" "$@"
fi

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

welcome() {
    printf '\e[H\e[2J'
    printf '╭───────────────────────────────────────────────────╮\n'
    printf '│ ✻ Welcome to Claude Code!                         │\n'
    printf '╰───────────────────────────────────────────────────╯\n\n'
    printf '> %s\n\n' "$1"
}

# Redraws the spinner (and the input box under it) every 0.2 s for the given seconds, from the cursor
# position saved with \e7; output flows all along.
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
