#!/usr/bin/env bash
# Compiles the lock files from the hand-written lists of direct dependencies:
#   requirements-pip.in   -> requirements-pip.txt    (pip itself)
#   requirements.in       -> requirements.txt        (the site, its tests and tools)
#   requirements-stack.in -> requirements-stack.txt  (moto, only for scripts/stack.sh)
# Every package, the transitive ones too, is pinned with the hashes of its published
# files, for every platform (--universal); `make setup` installs with --require-hashes.
# How to update a dependency: README.md, "Dependencies".
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-.venv/bin/uv}
compile() {
    "$UV" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
        --no-header --annotation-style line "$@"
}
compile requirements-pip.in -o requirements-pip.txt
compile requirements.in -o requirements.txt
compile requirements-stack.in -c requirements.txt -o requirements-stack.txt
echo "lock files written: requirements-pip.txt requirements.txt requirements-stack.txt"
