# Sourced by the project's scripts: Node 22 or 24, Yarn 4 through corepack, with every
# registry and node-gyp header location taken from npm's own config (nothing is written
# into files).
#
#   . scripts/toolchain.sh        # the machine's Node if it is 22 or 24, else Node 24
#   use_node 22                   # later: switch this shell to Node 22
#
# A Node that the machine does not have comes from the npm registry's `node` package
# (`node@24`, `node@22`: the Node binary with its headers), installed once into
# .cache/node/<major> (ignored by git), put first on PATH, with node-gyp pointed at its
# headers (npm_config_nodedir) so native modules build against the Node that runs them.
registry="$(npm config get registry | sed 's#/*$##')"
export COREPACK_NPM_REGISTRY="$registry"
export YARN_NPM_REGISTRY_SERVER="$registry"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
fawkes_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fawkes_node_cache="${FAWKES_NODE_CACHE:-$fawkes_root/.cache/node}"
fawkes_path_without_node="$PATH"

fawkes_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

# Node 24.19 and later abort in native addons built against their headers whose objects are
# garbage-collected outside a JavaScript context (node::ObjectWrap's new cleanup hook,
# nodejs/node#65446): better-sqlite3 12, which Backstage's backend-defaults asks for, dies
# with "Assertion failed: (env) != nullptr". Until a fixed 24.x is out, Node 24 means 24.18.
fawkes_registry_spec() { case "$1" in 24) echo "24.18" ;; *) echo "$1" ;; esac; }
fawkes_node_suitable() { # node-binary major
  "$1" -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major === Number(process.argv[1]) && !(major === 24 && minor >= 19) ? 0 : 1);
  ' "$2" 2>/dev/null
}

# The directory whose bin/node and include/node/ belong to the given registry install.
fawkes_registry_node_home() { # prefix
  local platform_pkg
  platform_pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
  for dir in "$1/node_modules/node/node_modules/$platform_pkg" "$1/node_modules/$platform_pkg"; do
    [ -x "$dir/bin/node" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# use_node [major]: without a major, the machine's Node when it is 22 or 24, else 24.
# A machine Node 24.19+ is passed over for the registry's 24.18 (see above).
use_node() {
  local wanted="${1:-}" machine home
  PATH="$fawkes_path_without_node"
  machine="$(fawkes_node_major node)"
  if [ -z "$wanted" ]; then
    case "$machine" in 22|24) wanted="$machine" ;; *) wanted=24 ;; esac
  fi
  if fawkes_node_suitable node "$wanted"; then
    nodedir="$(npm config get nodedir 2>/dev/null)"
    if [ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] && [ "$nodedir" != "null" ]; then
      export npm_config_nodedir="$nodedir"
    else
      unset npm_config_nodedir
    fi
    echo "toolchain: Node $(node -v) from the machine ($(command -v node))"
    return 0
  fi
  local prefix="$fawkes_node_cache/$wanted"
  if ! home="$(fawkes_registry_node_home "$prefix")" || ! fawkes_node_suitable "$home/bin/node" "$wanted"; then
    rm -rf "$prefix" && mkdir -p "$prefix"
    # The `node` package's preinstall fetches its platform package (node-<os>-<arch>, with
    # bin/ and include/); an npm that holds install scripts back leaves only the stub, so
    # the platform package is asked for directly then.
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
      "node@$(fawkes_registry_spec "$wanted")" >"$prefix/install.log" 2>&1 || {
      cat "$prefix/install.log" >&2
      echo "toolchain: could not install node@$(fawkes_registry_spec "$wanted") from the registry" >&2
      return 1
    }
    if ! home="$(fawkes_registry_node_home "$prefix")"; then
      local version
      version="$(node -p "require('$prefix/node_modules/node/package.json').version")"
      npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
        "node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')@$version" \
        >>"$prefix/install.log" 2>&1 || { cat "$prefix/install.log" >&2; return 1; }
      home="$(fawkes_registry_node_home "$prefix")" || {
        echo "toolchain: node@$wanted from the registry has no binary for this platform" >&2
        return 1
      }
    fi
  fi
  export PATH="$home/bin:$fawkes_path_without_node"
  export npm_config_nodedir="$home"
  hash -r
  echo "toolchain: Node $(node -v) from the registry's node@$(fawkes_registry_spec "$wanted") package ($home/bin/node; node-gyp headers from $home/include/node); the machine has $(PATH="$fawkes_path_without_node" node -v 2>/dev/null || echo 'no Node')"
}

use_node "${FAWKES_NODE:-}" || return 1 2>/dev/null || exit 1
# `yarn` for child processes too (create-app looks for it on PATH): corepack's own shim.
mkdir -p "$fawkes_root/.cache/bin"
corepack enable --install-directory "$fawkes_root/.cache/bin" yarn 2>/dev/null
fawkes_path_without_node="$fawkes_root/.cache/bin:$fawkes_path_without_node"
export PATH="$fawkes_root/.cache/bin:$PATH"
yarn() { corepack yarn "$@"; }
