#!/usr/bin/env bash
# Opens a folder in an editor with the built Plexus extension.
#
#   scripts/run-editor.sh [--build] [--extension EXTENSION] [FOLDER]
#
# FOLDER: the folder the editor opens (default: an empty scratch folder, .cache/scratch/).
# EXTENSION: a built extension folder (default: the repo) or a .vsix file. --build first builds the
# repo with ./plexus build (incremental: seconds when nothing changed).
#
# - `code` on PATH: VS Code itself, the extension in development mode (a folder) or installed
#   from the VSIX.
# - otherwise: the browser-hosted VS Code (code-server from e2e/, set up by e2e/setup.sh) on
#   127.0.0.1:${PLEXUS_EDITOR_PORT:-8080}, loopback only and without auth, with a private but
#   persistent profile under .cache/code-server/. Prints the URL; Ctrl+C stops everything started.
#
# Environment: PLEXUS_EDITOR=browser forces the browser editor even when `code` exists;
# PLEXUS_EDITOR_PORT picks the port; PLEXUS_TMUX_SOCKET_NAME sets plexus.tmux.socketName (default:
# your default tmux server); PLEXUS_HOST_PATH sets plexus.host.path.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ${1:-} == --build ]]; then
  shift
  "$REPO/plexus" build
fi
EXTENSION="$REPO"
if [[ ${1:-} == --extension ]]; then
  EXTENSION="${2:?--extension needs a folder or a .vsix}"
  shift 2
fi
FOLDER="${1:-$REPO/.cache/scratch}"
mkdir -p "$FOLDER"
FOLDER="$(cd "$FOLDER" && pwd)"
[[ -e $EXTENSION ]] || { echo "No extension at $EXTENSION — build it first: ./plexus build" >&2; exit 1; }
EXTENSION="$(cd "$(dirname "$EXTENSION")" && pwd)/$(basename "$EXTENSION")"
if [[ -d $EXTENSION ]]; then
  main="$(node -p 'require(process.argv[1]).main || ""' "$EXTENSION/package.json")"
  [[ -z $main || -f $EXTENSION/$main || -f $EXTENSION/$main.js ]] \
    || { echo "The extension is not built: $EXTENSION/$main is missing — run ./plexus build" >&2; exit 1; }
fi

if [[ ${PLEXUS_EDITOR:-} != browser ]] && command -v code >/dev/null 2>&1; then
  if [[ -d $EXTENSION ]]; then
    exec code --extensionDevelopmentPath="$EXTENSION" "$FOLDER"
  fi
  code --install-extension "$EXTENSION" --force
  exec code "$FOLDER"
fi

PORT="${PLEXUS_EDITOR_PORT:-8080}"
STATE="$REPO/.cache/code-server"
USER_DATA="$STATE/user-data"
EXTENSIONS="$STATE/extensions"
CODE_SERVER="$REPO/e2e/node_modules/code-server/out/node/entry.js"
mkdir -p "$USER_DATA/User" "$USER_DATA/Machine" "$EXTENSIONS" "$STATE/xdg-config" "$STATE/xdg-data"

bash "$REPO/e2e/setup.sh"

[[ -f $STATE/config.yaml ]] || printf 'auth: none\ncert: false\n' >"$STATE/config.yaml"
# First run only: settings that keep the first screen clear; later edits by the user are kept.
if [[ ! -f $USER_DATA/User/settings.json ]]; then
  cat >"$USER_DATA/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "workbench.tips.enabled": false
}
EOF
fi
# Machine-scoped Plexus settings go to the remote's Machine settings (code-server is a remote window).
node - "$USER_DATA/Machine/settings.json" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const set = (key, value) => { if (value) settings[key] = value; else delete settings[key]; };
set('plexus.tmux.socketName', process.env.PLEXUS_TMUX_SOCKET_NAME);
set('plexus.host.path', process.env.PLEXUS_HOST_PATH);
fs.writeFileSync(file, JSON.stringify(settings, null, 2));
EOF

node --input-type=module - "$REPO/e2e/lib/codeServer.mjs" "$EXTENSION" "$EXTENSIONS" "$USER_DATA" <<'EOF'
import { pathToFileURL } from 'node:url';
const [lib, extension, extensionsDir, userDataDir] = process.argv.slice(-4);
const { installExtension } = await import(pathToFileURL(lib).href);
console.error(`Installed ${await installExtension(extension, { extensionsDir, userDataDir })} from ${extension}`);
EOF

# code-server gets its own process group (setsid), so stopping it stops its extension host,
# the Plexus host and the pty host with it. Your tmux server is not in it and keeps running.
env -u TMUX -u TMUX_PANE XDG_CONFIG_HOME="$STATE/xdg-config" XDG_DATA_HOME="$STATE/xdg-data" \
  setsid node "$CODE_SERVER" \
    --config "$STATE/config.yaml" \
    --bind-addr "127.0.0.1:$PORT" --auth none \
    --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override --ignore-last-opened \
    --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
    "$FOLDER" >"$STATE/code-server.log" 2>&1 &
CODE_SERVER_PID=$!

stop() {
  trap - EXIT INT TERM
  if kill -0 -- "-$CODE_SERVER_PID" 2>/dev/null; then
    echo "Stopping the editor (process group $CODE_SERVER_PID)…" >&2
    kill -TERM -- "-$CODE_SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$CODE_SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$CODE_SERVER_PID" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

URL="http://127.0.0.1:$PORT/?folder=$FOLDER"
# Wait (30 s deadline) until code-server listens; bash's /dev/tcp needs no curl.
for ((i = 0; i < 300; i++)); do
  kill -0 "$CODE_SERVER_PID" 2>/dev/null || { echo "code-server exited; its log:" >&2; tail -20 "$STATE/code-server.log" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
((i < 300)) || { echo "code-server did not listen on port $PORT within 30 s; log: $STATE/code-server.log" >&2; exit 1; }

echo
echo "Plexus in VS Code (browser): $URL"
echo "Log: $STATE/code-server.log — Ctrl+C stops the editor."
wait "$CODE_SERVER_PID"
