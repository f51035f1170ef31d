#!/usr/bin/env bash
# Runs the package's tests, and those of internal/lines and internal/search,
# for arm64, riscv64, ppc64le (64 KiB pages), s390x (big-endian) and arm
# (32-bit int, GOARM=7: the 32-bit tests of machines that refuse i386
# programs) under qemu-user. Called by .ci/run; installs Debian's
# qemu-user-static when it is missing. The tests start child processes of
# their own binary: binfmt_misc runs those under qemu too where it can be
# set up, and otherwise the tests that need a child are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v qemu-aarch64-static >/dev/null; then
  for try in 1 2 3; do
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static; } >/dev/null 2>&1 && break
    sleep 5
  done
fi

binfmt=/proc/sys/fs/binfmt_misc
[ -e $binfmt/register ] || mount -t binfmt_misc binfmt_misc $binfmt 2>/dev/null || true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for pair in arm64:aarch64 riscv64:riscv64 ppc64le:ppc64le s390x:s390x arm:arm; do
  goarch=${pair%%:*} q=${pair##*:}
  if [ ! -e $binfmt/qemu-$q ] && [ -w $binfmt/register ] && [ -f /usr/lib/binfmt.d/qemu-$q.conf ]; then
    cat /usr/lib/binfmt.d/qemu-$q.conf > $binfmt/register 2>/dev/null || true
  fi
  skip=(-test.skip '^ExampleMap_Resident$|^ExampleOptions_populate$') # qemu ignores madvise
  if [ ! -e $binfmt/qemu-$q ]; then
    echo "no binfmt_misc for $q: the tests that start a child process are skipped"
    export MMAP_TEST_NO_CHILD=1
    skip=(-test.skip '^ExampleShared$|^ExampleMap_Resident$|^ExampleOptions_populate$')
  fi
  CGO_ENABLED=0 GOARCH=$goarch GOARM=7 go test -c -o "$work/mmap.$goarch.test" .
  start=$SECONDS
  if MMAP_TEST_QEMU=1 qemu-$q-static "$work/mmap.$goarch.test" -test.short "${skip[@]}" > "$work/$goarch.out" 2>&1; then
    echo "GOARCH=$goarch under qemu-$q: $(tail -n 1 "$work/$goarch.out") ($((SECONDS - start))s)"
  else
    echo "GOARCH=$goarch under qemu-$q FAILED:"
    grep -a -B2 -A15 -E '^--- FAIL|^panic|^FAIL' "$work/$goarch.out" | head -60
    status=1
  fi
  unset MMAP_TEST_NO_CHILD
  # The Go code that stands in for the amd64 vector code.
  for pkg in lines search; do
    CGO_ENABLED=0 GOARCH=$goarch GOARM=7 go test -c -o "$work/$pkg.$goarch.test" ./internal/$pkg
    if qemu-$q-static "$work/$pkg.$goarch.test" -test.short > "$work/$pkg.$goarch.out" 2>&1; then
      echo "  internal/$pkg: $(tail -n 1 "$work/$pkg.$goarch.out")"
    else
      echo "internal/$pkg, GOARCH=$goarch under qemu-$q FAILED:"
      head -40 "$work/$pkg.$goarch.out"
      status=1
    fi
  done
done
exit $status
