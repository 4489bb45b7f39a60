#!/bin/sh
# The container image's build steps: the Dockerfile runs them, and test/image.test.ts runs them here
# (base images cannot be pulled on the machines that build and test Inzage, so the image itself is not built
# in CI; these steps are).
#   scripts/image.sh build          in the source tree: every dependency, then `npm run build` (dist/)
#   scripts/image.sh release DIR    what production runs, into DIR: dist/, bin/, examples/, package files,
#                                   and the production dependencies only (INZAGE_IMAGE_SKIP_INSTALL=1 leaves
#                                   them out, for a test that brings its own)
set -eu
cd "$(dirname "$0")/.."
step="${1:-}"
case "$step" in
  build)
    npm ci --no-audit --no-fund
    npm run build
    ;;
  release)
    out="${2:?usage: scripts/image.sh release DIR}"
    [ -f dist/.build-stamp ] || { echo "dist/ is not built: run scripts/image.sh build first" >&2; exit 1; }
    mkdir -p "$out"
    cp -R dist bin examples package.json package-lock.json README.md "$out"/
    # A compile cache written by this machine's runs is not part of a release (the image keeps its own).
    rm -rf "$out/dist/.compile-cache"
    if [ "${INZAGE_IMAGE_SKIP_INSTALL:-0}" != 1 ]; then
      # Production dependencies only: no TypeScript, tsx or esbuild in the image. Native modules
      # (better-sqlite3) are compiled here, in the build stage that has the compiler.
      (cd "$out" && npm ci --omit=dev --no-audit --no-fund && npm cache clean --force >/dev/null 2>&1 || true)
    fi
    echo "release in $out"
    ;;
  *)
    echo "usage: scripts/image.sh build | release DIR" >&2
    exit 2
    ;;
esac
