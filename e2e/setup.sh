#!/usr/bin/env bash
# Prepares the browser-hosted editor for the end-to-end tests and for scripts/run-editor.sh:
# Debian packages (Chromium, ripgrep, the headers code-server's native modules need) and
# e2e/node_modules (code-server 4.100.3 + playwright-core) from e2e/package-lock.json.
#
# Idempotent: a warm machine does no apt work and no npm work (a stamp keyed on the lock file).
# Reaches only Debian's archive and the npm registry: the one download that would go elsewhere
# (@vscode/ripgrep fetching its binary from GitHub) is answered from a cache archive made here
# out of Debian's own rg.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$E2E_DIR"
started=$SECONDS
log() { printf '[e2e setup %3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }

# --- Debian packages --------------------------------------------------------------------------
# libkrb5-dev + pkg-config: code-server's native modules (kerberos) compile against them.
# ripgrep: the rg binary VS Code's search needs (see the cache trick below).
# chromium: the browser playwright-core drives (`npx playwright install` cannot download here).
# tmux: the product itself.
APT_PACKAGES=(libkrb5-dev pkg-config ripgrep chromium tmux)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=()
  [[ $(id -u) == 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages present: ${APT_PACKAGES[*]}"
fi

# --- npm packages -----------------------------------------------------------------------------
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.plexus-e2e-setup-stamp"
cs="node_modules/code-server"
if [[ -f $stamp && "$(cat "$stamp")" == "$lock_hash" \
      && -x $cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
      && -d $cs/lib/vscode/extensions/node_modules \
      && -d node_modules/playwright-core ]]; then
  log "node_modules up to date (lock $lock_hash)"
  exit 0
fi

# code-server's postinstall refuses to run as root without unsafe-perm; node-pty's postinstall runs
# `npx node-gyp`, which would stop at a prompt without npm_config_yes.
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false
# node-gyp downloads Node's headers unless told where installed ones are; Debian's/NodeSource's
# nodejs package ships them under /usr/include/node.
if [[ -z "${npm_config_nodedir:-}" && "$(npm config get nodedir 2>/dev/null)" =~ ^(undefined|null|)$ \
      && -f /usr/include/node/node_version.h ]]; then
  export npm_config_nodedir=/usr
fi

# Step 1: the tree without install scripts, so the versions to prepare for can be read from it.
log "npm ci --ignore-scripts"
rm -f "$stamp"
npm ci --ignore-scripts --no-fund --no-audit --loglevel=error

# Step 2: the ripgrep cache archive. code-server's postinstall runs `npm install` in lib/vscode,
# whose @vscode/ripgrep postinstall downloads ripgrep-<VERSION>-<target>.tar.gz from GitHub
# unless $TMPDIR/vscode-ripgrep-cache-<package version>/<that name> already exists.
rg_pkg_version="$(node -e '
  const s = require(process.argv[1]);
  const p = s.packages && s.packages["node_modules/@vscode/ripgrep"];
  if (!p) { console.error("no @vscode/ripgrep in " + process.argv[1]); process.exit(1); }
  console.log(p.version);' "$E2E_DIR/$cs/lib/vscode/npm-shrinkwrap.json")"
tmp_pack="$(mktemp -d)"
trap 'rm -rf "$tmp_pack"' EXIT
# The exact package tarball the nested install will use (served from npm's cache after this).
(cd "$tmp_pack" && npm pack "@vscode/ripgrep@$rg_pkg_version" --silent >/dev/null && tar xzf ./*.tgz)
rg_version="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$tmp_pack/package/lib/postinstall.js")"
[[ -n $rg_version ]] || { echo "cannot read VERSION from @vscode/ripgrep@$rg_pkg_version postinstall.js" >&2; exit 1; }
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
rg_cache_dir="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_pkg_version"
rg_archive="$rg_cache_dir/ripgrep-$rg_version-$rg_target.tar.gz"
if [[ ! -s $rg_archive ]]; then
  log "ripgrep cache: Debian's $(command -v rg) as $rg_archive"
  mkdir -p "$rg_cache_dir" "$tmp_pack/rg"
  cp "$(command -v rg)" "$tmp_pack/rg/rg"
  tar czf "$rg_archive" -C "$tmp_pack/rg" rg
else
  log "ripgrep cache present: $rg_archive"
fi

# Step 3: run the install scripts (code-server's postinstall installs lib/vscode and its
# extensions, compiling node-pty, spdlog, kerberos, ...).
log "npm rebuild (code-server postinstall, native modules)"
npm rebuild --no-fund --no-audit --loglevel=error

[[ -x $cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]] || { echo "ripgrep missing after install" >&2; exit 1; }
echo "$lock_hash" >"$stamp"
log "done: $(du -sh node_modules | cut -f1) in e2e/node_modules"
