package mmap

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// procStatus returns a field of /proc/self/status in kB (VmRSS, VmPTE).
func procStatus(t *testing.T, field string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status here")
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatalf("%s: %q", field, line)
			}
			return n
		}
	}
	t.Skipf("no %s in /proc/self/status", field)
	return 0
}

func TestReserveCostsAddressSpaceOnly(t *testing.T) {
	if !lockFreeReads {
		t.Skip("64 GiB of address space is more than a 32-bit process has")
	}
	underQemu(t, "keeps its own record of every guest page: a reservation costs qemu memory, not the kernel")
	var reserve int64 = 64 << 30 // a variable: the test skips on 32-bit systems
	rss, pte := procStatus(t, "VmRSS"), procStatus(t, "VmPTE")
	m, err := Anonymous(PageSize, &Options{Reserve: int(reserve)})
	must(t, err)
	defer m.Close()
	m.Bytes()[0] = 1
	rss2, pte2 := procStatus(t, "VmRSS"), procStatus(t, "VmPTE")
	t.Logf("64 GiB reserved: VmRSS %d → %d kB, VmPTE %d → %d kB", rss, rss2, pte, pte2)
	if rss2-rss > 1024 || pte2-pte > 64 {
		t.Errorf("reserving 64 GiB took %d kB of RSS and %d kB of page tables", rss2-rss, pte2-pte)
	}
	if line := mapping(t, &unsafe.Slice(&m.Bytes()[0], 2*PageSize)[PageSize]); !strings.Contains(line, " ---p ") {
		t.Errorf("the reservation after the map is %q, want inaccessible (---p)", line)
	}
}

// TestStaleViewStaysReserved: once Bytes let a view escape, Close leaves its
// range reserved for good; 1,000 later maps never land there.
func TestStaleViewStaysReserved(t *testing.T) {
	if !keepsStale {
		t.Skip("32-bit: stale ranges are unmapped (keepsStale)")
	}
	for _, opts := range []*Options{nil, {Reserve: 1 << 20}} {
		m, _ := mapData(t, bytes.Repeat([]byte("stale"), 4000), opts)
		stale := m.Bytes()
		lo := uintptr(unsafe.Pointer(&stale[0]))
		hi := lo + uintptr(cap(stale))
		must(t, m.Close())
		if line := mapping(t, &stale[0]); !strings.Contains(line, " ---p ") {
			t.Fatalf("after Close, the stale view's range is %q, want inaccessible (---p)", line)
		}
		dir := tempDir(t)
		for i := range 1000 {
			path := filepath.Join(dir, strconv.Itoa(i))
			must(t, os.WriteFile(path, bytes.Repeat([]byte{byte(i)}, 1+i*37), 0o600))
			o, err := Open(path, AccessRead)
			must(t, err)
			b := o.Bytes()
			p := uintptr(unsafe.Pointer(&b[0]))
			if p < hi && p+uintptr(cap(b)) > lo {
				t.Fatalf("map %d landed at %#x, in the stale range %#x-%#x", i, p, lo, hi)
			}
			defer o.Close()
		}
	}
}

// TestStaleViewFaults: touching a view after Close kills the process with
// SIGSEGV; it never reads bytes.
func TestStaleViewFaults(t *testing.T) {
	if !keepsStale {
		t.Skip("32-bit: stale ranges are unmapped (keepsStale)")
	}
	if os.Getenv("MMAP_CHILD") == "stale" {
		m, err := Anonymous(PageSize, nil)
		if err != nil {
			panic(err)
		}
		b := m.Bytes()
		b[0] = 'X'
		m.Close()
		fmt.Printf("read %q\n", b[0])
		os.Exit(0)
	}
	noChild(t)
	out, err := helper(t.Name(), "stale").CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("SIGSEGV")) || bytes.Contains(out, []byte("read ")) {
		t.Fatalf("the child that touched a closed map's view: %v\n%s", err, out)
	}
}
