#!/usr/bin/env bash
# Runs the package's tests, and the command's demo, as Windows programs under
# Wine: Wine 10 (Debian trixie), which has placeholders (VirtualAlloc2,
# MapViewOfFile3), so that Options.Reserve and Mirror's own path run; and
# Wine 8 (this machine's Debian 12), which has none, for the fallbacks and
# Supports saying ErrUnsupported. Called by .ci/run; installs what it needs.
#
# Wine 10 runs in a trixie root made with mmdebstrap from Debian's archive
# (about a minute and 1.1 GB), without touching the host's package sources.
# The root is kept in /var/cache/mmapio between runs on the same machine,
# and made again whenever it is missing or does not run Wine 10.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() { # the first apt-get on a fresh machine sometimes fails once
  for try in 1 2 3; do
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null 2>&1 && return 0
    sleep 5
  done
  echo "could not install $*" >&2
  return 1
}

work=$(mktemp -d)
root=/var/cache/mmapio/trixie
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root/run/mmap-ci"
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

GOOS=windows GOARCH=amd64 go test -c -o "$work/mmap.test.exe" .
GOOS=windows GOARCH=amd64 go build -o "$work/mmap.exe" ./cmd/mmap

# check OUT WINE: go test -v's last line says how the run ended; no skip
# may be for placeholders under Wine 10.
check() {
  local out=$1 wine=$2
  grep -E '^(--- FAIL|--- SKIP|FAIL|PASS|ok|panic)' "$out" || true
  if ! tail -n 5 "$out" | grep -q '^PASS'; then
    grep -B2 -A20 -E '^--- FAIL|^panic' "$out" | head -80
    echo "the tests failed under Wine $wine"
    exit 1
  fi
  if [ "$wine" = 10 ] && grep -A1 -E '^\s*--- SKIP' "$out" | grep -qi placeholder; then
    echo "a test skipped for want of placeholders under Wine 10"
    exit 1
  fi
  echo "$(grep -c '^--- PASS' "$out") passed, $(grep -c '^--- SKIP' "$out") skipped under Wine $wine (top-level tests)"
}

# check_demo OUT WINE: every step of the demo ran, the Windows way.
check_demo() {
  local out=$1 wine=$2
  for want in 'after mm.Flush(), the file holds  "Hello  world!\n"' \
              'parent reads the child'"'"'s answer:  "Hello from the child\n"' \
              'refused while mapped' \
              '100000 messages, 3549680 bytes, all in order'; do
    if ! grep -qF "$want" "$out"; then
      cat "$out"
      echo "mmap demo under Wine $wine: the output lacks: $want"
      exit 1
    fi
  done
  echo "mmap demo ran every step under Wine $wine"
}

# --- Wine 10, in a trixie root
if ! chroot "$root" wine --version 2>/dev/null | grep -q '^wine-10'; then
  command -v mmdebstrap >/dev/null || apt_install mmdebstrap
  rm -rf "$root.new"
  mkdir -p "$(dirname "$root")"
  made=no
  for try in 1 2 3; do
    if mmdebstrap --quiet --variant=minbase --include=wine,wine64 trixie "$root.new" http://deb.debian.org/debian; then
      made=yes; break
    fi
    rm -rf "$root.new"; sleep 5
  done
  [ $made = yes ] || { echo "could not make the trixie root for Wine 10"; exit 1; }
  rm -rf "$root"
  mv "$root.new" "$root"
fi
mount -t proc proc "$root/proc"
in=$root/run/mmap-ci
rm -rf "$in"; mkdir -p "$in"
cp "$work/mmap.test.exe" "$work/mmap.exe" README.md "$in/"
cp -r testdata "$in/"
wine10() {
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/run/mmap-ci WINEPREFIX=/run/mmap-ci/prefix \
    WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" MMAP_TEST_WINE=10 \
    /bin/sh -c 'cd /run/mmap-ci && "$@"' sh "$@"
}
wine10 wineboot -i >/dev/null 2>&1
wine10 wine ./mmap.test.exe -test.short -test.v > "$work/out10.txt" 2>&1 || true
check "$work/out10.txt" 10
wine10 wine ./mmap.exe demo > "$work/demo10.txt" 2>&1 || true
check_demo "$work/demo10.txt" 10
wine10 wineserver -k >/dev/null 2>&1 || true
umount "$root/proc"

# --- Wine 8, this machine's
if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  apt_install wine64 wine gcc-mingw-w64-x86-64-win32
fi
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" MMAP_TEST_WINE=8
# The prefix, with a stand-in bcryptprimitives.dll in system32: Wine 8 lacks
# ProcessPrng, which Go's binaries call.
wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" .ci/processprng.c -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
# A wineserver that stays up, or every start of the test binary (and of its
# child processes) pays for a new one.
wineserver -p >/dev/null 2>&1 || true
wine "$work/mmap.test.exe" -test.short -test.v "$@" > "$work/out8.txt" 2>&1 || true
check "$work/out8.txt" 8
wine "$work/mmap.exe" demo > "$work/demo8.txt" 2>&1 || true
check_demo "$work/demo8.txt" 8
