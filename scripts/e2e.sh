#!/usr/bin/env bash
# The end-to-end suite: Plexus in a real VS Code (code-server) driven by headless Chromium.
#
#   scripts/e2e.sh [TEST_FILE...]     default: every e2e/tests/*.test.mjs
#
# Prepares e2e/ first (e2e/setup.sh: apt packages and node_modules; no work when warm). Expects the
# product built (./plexus build) or PLEXUS_E2E_EXTENSION=path/to.vsix. Screenshots and logs: test-results/e2e/.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bash "$REPO/e2e/setup.sh"

files=()
for file in "$@"; do
  # Paths as given from the caller's directory, or relative to e2e/.
  if [[ -e $file ]]; then files+=("$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"); else files+=("$file"); fi
done
cd "$REPO/e2e"
((${#files[@]})) || files=(tests/*.test.mjs)
# One editor at a time: each test owns a code-server, a Chromium and a tmux server, and the
# machine has two cores.
exec node --test --test-concurrency=1 "${files[@]}"
