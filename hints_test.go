package mmap

import "testing"

// TestScanAdvice: a large scan runs under MADV_SEQUENTIAL unless the caller
// advised the map itself, and the advice is taken back after.
func TestScanAdvice(t *testing.T) {
	m, err := Anonymous(scanHint+PageSize, nil)
	must(t, err)
	defer m.Close()
	data := m.mem.data
	if !m.startScan(data, 1, len(data)) {
		t.Error("no advice for a scan of the whole map")
	}
	endScan(data, 1, len(data))
	if m.startScan(data, 0, scanHint-1) {
		t.Error("advice for a scan shorter than scanHint")
	}
	must(t, m.Madvise(MADV_RANDOM))
	if m.startScan(data, 0, len(data)) {
		t.Error("advice over the caller's own")
	}
	if got := m.Find([]byte("absent")); got != -1 { // runs the hinted path
		t.Errorf("Find = %d", got)
	}
}
