package mmap

import (
	"testing"

	"golang.org/x/sys/windows"
)

// underWine reports whether the tests run under Wine, whose ntdll exports
// wine_get_version.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// Resident counts the pages in the working set: those touched, not the
// others; MADV_DONTNEED takes them out and keeps the bytes.
func TestResidentWorkingSet(t *testing.T) {
	const pages = 64
	m, err := Anonymous(pages*PageSize, nil)
	must(t, err)
	defer m.Close()
	for p := range pages / 2 {
		must(t, m.SetAt(p*PageSize, byte(p+1)))
	}
	res, total, err := m.ResidentRange(0, pages/2*PageSize)
	if err != nil || res != pages/2 || total != pages/2 {
		t.Fatalf("after touching %d pages: ResidentRange = %d of %d, %v", pages/2, res, total, err)
	}
	res, total, err = m.Resident()
	if err != nil || total != pages || res < pages/2 || res == pages {
		t.Fatalf("Resident = %d of %d, %v; want %d..%d of %d", res, total, err, pages/2, pages-1, pages)
	}
	must(t, m.Madvise(MADV_DONTNEED))
	after, _, err := m.Resident()
	must(t, err)
	if underWine() {
		t.Logf("under Wine, VirtualUnlock trims nothing: %d pages resident after MADV_DONTNEED", after)
	} else if after >= res {
		t.Errorf("MADV_DONTNEED left %d pages resident of %d", after, res)
	}
	for p := range pages / 2 {
		if c, _ := m.At(p * PageSize); c != byte(p+1) {
			t.Fatalf("page %d reads %d after MADV_DONTNEED, want %d", p, c, p+1)
		}
	}
}

// Lock of more than the working set's default minimum (about 200 KiB)
// grows it instead of failing.
func TestLockGrowsWorkingSet(t *testing.T) {
	m, err := Anonymous(64<<20, nil)
	must(t, err)
	defer m.Close()
	must(t, m.Lock())
	res, total, err := m.Resident()
	must(t, err)
	if res != total {
		t.Errorf("after Lock, %d of %d pages resident", res, total)
	}
	must(t, m.Unlock())
}
