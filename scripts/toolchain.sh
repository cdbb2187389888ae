# Sourced by the project's scripts: Yarn 4 through corepack, with every registry and
# node-gyp header location taken from npm's own config (nothing is written into files).
registry="$(npm config get registry | sed 's#/*$##')"
export COREPACK_NPM_REGISTRY="$registry"
export YARN_NPM_REGISTRY_SERVER="$registry"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
nodedir="$(npm config get nodedir 2>/dev/null)"
if [ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] && [ "$nodedir" != "null" ]; then
  export npm_config_nodedir="$nodedir"
fi
yarn() { corepack yarn "$@"; }
