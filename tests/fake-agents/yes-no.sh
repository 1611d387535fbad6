#!/usr/bin/env bash
# Usage: yes-no.sh [AFTER_SECONDS=0]
# A plain script that prints a few lines and asks "Overwrite file? [y/N] ". Answered "y" it prints a line every
# 0.2 s for AFTER_SECONDS and exits 0; any other answer exits 1.
set -u
after=${1:-0}

printf 'Generating notes.txt from 3 sources\n'
printf '  reading sources... done\n'
printf 'notes.txt already exists.\n'
read -r -p 'Overwrite file? [y/N] ' answer
if [[ $answer != [yY]* ]]; then
    printf 'Kept notes.txt\n'
    exit 1
fi

whole=${after%%.*} frac=0
[[ $after == *.* ]] && frac=${after#*.}
ticks=$(( (${whole:-0} * 10 + 10#${frac:0:1}) / 2 ))
for (( tick = 0; tick < ticks; tick++ )); do
    printf 'writing notes.txt: %d%%\n' $(( tick * 100 / ticks ))
    sleep 0.2
done
printf 'Overwrote notes.txt\n'
exit 0
