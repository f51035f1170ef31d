package mmap

import "testing"

// TestScanAdvice: a large scan runs under MADV_SEQUENTIAL unless the caller
// advised the map itself, and the advice is taken back after.
func TestScanAdvice(t *testing.T) {
	m, err := Anonymous(scanHint+PageSize, nil)
	must(t, err)
	defer m.Close()
	data := m.mem.data
	if !m.adviseSequential(data, 1, len(data), false) && Supports(FeatureAccessPattern) != SupportNone {
		t.Error("no advice for a scan of the whole map")
	}
	unadviseSequential(data, 1, len(data))
	if m.adviseSequential(data, 0, scanHint-1, false) {
		t.Error("advice for a scan shorter than scanHint")
	}
	must(t, m.Madvise(MADV_WILLNEED)) // the caller's own advice, on every system
	if m.adviseSequential(data, 0, len(data), false) {
		t.Error("advice over the caller's own")
	}
	if got := m.Find([]byte("absent")); got != -1 { // runs the hinted path
		t.Errorf("Find = %d", got)
	}
	// A needle across the end of the first, unadvised scanHint bytes, and
	// one past it.
	for _, at := range []int{scanHint - 3, scanHint + 10} {
		must(t, m.SetSlice(at, at+6, []byte("NEEDLE")))
		if got := m.FindIn([]byte("NEEDLE"), 0, m.Len()); got != at {
			t.Errorf("FindIn = %d, want %d", got, at)
		}
		must(t, m.SetSlice(at, at+6, make([]byte, 6)))
	}
}
