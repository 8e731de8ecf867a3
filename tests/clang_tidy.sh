#!/bin/sh
# lint.clang_tidy: clang-tidy over the given sources, four files per process and
# two processes at a time. One process over every file grew to ~600k suppressed
# warnings and crashed clang-tidy 19 (a segfault in an AST matcher after 19 files);
# short-lived processes keep that state small and use both cores.
# Usage: clang_tidy.sh CLANG_TIDY BUILD_DIR SOURCE...
set -eu
tidy=$1
build=$2
shift 2
printf '%s\n' "$@" | xargs -P 2 -n 4 "$tidy" -p "$build" --quiet
