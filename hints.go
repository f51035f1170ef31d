package mmap

// The library advises the kernel by itself, per operation, where that is
// measured to pay (see BENCHMARKS.md), unless the caller gave advice of its
// own with Madvise or MadviseRange:
//
// A long forward scan (WriteTo of a large rest, Lines past its first 64 MiB,
// a Find or FindIn that finds nothing in its first 64 MiB, or in its first
// 8 MiB where what follows is not in the page cache) runs under
// MADV_SEQUENTIAL, which makes the kernel read ahead aggressively when the
// file is not in the page cache (bench's W6, and BENCHMARKS.md, "Advice");
// the advice is taken back after. Random reads get no hint: populating
// regions of the map ahead of them was measured too, and won nothing
// reliable.

// scanHint is the span from which a scan runs under MADV_SEQUENTIAL.
const scanHint = 64 << 20

// adviseSequential puts data[s:e] under MADV_SEQUENTIAL for a scan when
// the span is large, or cold (not in memory), and the caller gave no
// advice, and reports whether it did; then unadviseSequential takes the
// advice back.
func (m *Map) adviseSequential(data []byte, s, e int, cold bool) bool {
	if e-s < scanHint && !cold || m.advised.Load() {
		return false
	}
	return sysAdvise(data[s&^(pageSize-1):e], adviceSequential) == nil
}

func unadviseSequential(data []byte, s, e int) {
	sysAdvise(data[s&^(pageSize-1):e], adviceNormal)
}

// hintRest is adviseSequential for the rest of the map from the position, for the
// scans that span several calls (Lines, WriteTo); it returns what
// unhintRest needs.
func (m *Map) hintRest() (gen uint64, s, e int, hinted bool) {
	old, ok := m.enter()
	if !ok {
		return 0, 0, 0, false
	}
	defer func() { m.leave(old, recover(), nil, "") }()
	data := m.mem.data
	s, e = min(m.pos, len(data)), len(data)
	return m.gen.Load(), s, e, m.adviseSequential(data, s, e, false)
}

// unhintRest takes back the advice of hintRest, unless Resize or Close
// changed the mapping since.
func (m *Map) unhintRest(gen uint64, s, e int) {
	old, ok := m.enter()
	if !ok {
		return
	}
	defer func() { m.leave(old, recover(), nil, "") }()
	if m.gen.Load() == gen {
		unadviseSequential(m.mem.data, s, e)
	}
}

// coldAhead reports whether data[from:to] is out of the page cache, as
// mincore says of 64 KiB at a quarter, a half and three quarters of the way
// (what the scan read so far is in memory whatever the rest is: its faults
// read around them).
func coldAhead(data []byte, from, to int) bool {
	const span = 64 << 10
	if to-from < 4*span {
		return false
	}
	votes := 0
	for k := 1; k <= 3; k++ {
		off := (from + (to-from)/4*k) &^ (pageSize - 1)
		if n, err := sysResident(data[off : off+span]); err == nil && n < span/pageSize/2 {
			votes++
		}
	}
	return votes >= 2
}
