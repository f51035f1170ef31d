#!/usr/bin/env bash
# Runs the package's tests as a Windows program under Wine. Called by
# .ci/run; installs what it needs (Debian's wine64 and mingw-w64) when it is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  for try in 1 2 3; do # the first apt-get on a fresh machine sometimes fails once
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine64 wine gcc-mingw-w64-x86-64-win32; } \
      >/dev/null 2>&1 && break
    sleep 5
  done
fi

work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The prefix, with the stand-in bcryptprimitives.dll in system32.
wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" .ci/processprng.c -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
# A wineserver that stays up, or every start of the test binary (and of its
# child processes) pays for a new one.
wineserver -p >/dev/null 2>&1 || true

GOOS=windows GOARCH=amd64 go test -c -o "$work/mmap.test.exe" .
wine "$work/mmap.test.exe" -test.short -test.v "$@" 2>&1 | tee "$work/out.txt" | grep -E '^(--- FAIL|--- SKIP|FAIL|PASS|ok|panic)' || true
wineserver -w 2>/dev/null &
# go test -v's last line says how the run ended.
if ! tail -n 5 "$work/out.txt" | grep -q '^PASS'; then
  grep -B2 -A20 -E '^--- FAIL|^panic' "$work/out.txt" | head -80
  exit 1
fi
echo "$(grep -c '^--- PASS' "$work/out.txt") passed, $(grep -c '^--- SKIP' "$work/out.txt") skipped under Wine"
