#!/usr/bin/env bash
# make dist: a release build of bystander that runs on a machine without a Swift toolchain
# (a cluster node): the Swift standard library, Foundation and Dispatch are linked statically
# (--static-swift-stdlib), and so is GSL (libgsl.a and libgslcblas.a from libgsl-dev). What is
# left is the C library and the other system libraries every Linux node has (`ldd` lists them).
#
#   bash scripts/dist.sh          writes dist/bystander and prints its dynamic dependencies
#
# The binary needs a glibc at least as new as the build machine's: build on the oldest
# distribution the cluster runs (or in a container of it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The linker takes -lgsl from the first folder that has libgsl.*, preferring .so within a
# folder. SwiftPM reads the -L folder from gsl.pc (its own parser, not pkg-config): a gsl.pc of
# our own, found first through PKG_CONFIG_PATH, names a folder that holds only the static
# archives, so the linker takes them.
libdir="$(pkg-config --variable=libdir gsl)"
static="$PWD/.build/static-libs"
mkdir -p "$static"
for lib in libgsl.a libgslcblas.a; do
    [[ -f "$libdir/$lib" ]] || { echo "dist: $libdir/$lib is missing (install libgsl-dev)" >&2; exit 1; }
    ln -sf "$libdir/$lib" "$static/$lib"
done
cat >"$static/gsl.pc" <<PC
Name: GSL
Description: GNU Scientific Library, static archives (scripts/dist.sh)
Version: $(pkg-config --modversion gsl)
Libs: -L$static -lgsl -lgslcblas -lm
Cflags: $(pkg-config --cflags gsl)
PC

PKG_CONFIG_PATH="$static${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" swift build -c release --product bystander --static-swift-stdlib
mkdir -p dist
cp .build/release/bystander dist/bystander.tmp && mv dist/bystander.tmp dist/bystander
echo "dist: dist/bystander ($(du -h dist/bystander | cut -f1)), built with $(swift --version 2>/dev/null | head -n 1)"
echo "dist: dynamic dependencies (all from the C library and system packages):"
ldd dist/bystander | sed 's/^/  /'
if ldd dist/bystander | grep -qiE "libswift|libFoundation|libdispatch|libgsl|not found"; then
    echo "dist: error: dist/bystander still needs the Swift runtime or GSL" >&2
    exit 1
fi
