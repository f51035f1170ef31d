package mmap

import (
	"io"
	"runtime/debug"
)

// The byte-array face of a Map: Python's mm[i], mm[i:j], mm[i] = b,
// mm[i:j] = p and mm.move, and Go's io.ReaderAt and io.WriterAt. None of these
// use or change the current position, and all are safe for concurrent use.

var (
	_ io.ReaderAt = (*Map)(nil)
	_ io.WriterAt = (*Map)(nil)
)

// At returns the byte at index i (Python's mm[i]); a negative i counts from
// the end. An index outside the map is ErrOutOfRange.
func (m *Map) At(i int) (b byte, err error) {
	v := m.beginRead()
	if v == nil {
		return 0, m.closedError("at")
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if _, retry := m.endRead(v, recover(), &err, "at"); retry {
			b, err = m.At(i)
		}
	}()
	data := v.data
	j := i
	if j < 0 {
		j += len(data)
	}
	if j < 0 || j >= len(data) {
		return 0, errorf(ErrOutOfRange, "at", "index %d outside a map of %d bytes", i, len(data))
	}
	if !m.byMapping(j, 1) {
		return m.atFile(data, j), nil
	}
	return data[j], nil
}

// atFile is At's copy of data[j] by copyFile.
func (m *Map) atFile(data []byte, j int) byte {
	var one [1]byte
	m.copyFile(one[:], data, j)
	return one[0]
}

// SetAt sets the byte at index i (Python's mm[i] = b); a negative i counts
// from the end. A read-only map is [ErrReadOnly], an index outside the map
// ErrOutOfRange.
func (m *Map) SetAt(i int, b byte) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("set at")
	}
	defer func() { m.leave(old, recover(), &err, "set at") }()
	if !m.cfg.writable() {
		return errorf(ErrReadOnly, "set at", "index %d", i)
	}
	data := m.mem.data
	j := i
	if j < 0 {
		j += len(data)
	}
	if j < 0 || j >= len(data) {
		return errorf(ErrOutOfRange, "set at", "index %d outside a map of %d bytes", i, len(data))
	}
	data[j] = b
	return nil
}

// span turns Python slice bounds into indexes of data: a negative bound counts
// from the end, and both are clamped to [0, n]; an empty span has j == i.
func span(i, j, n int) (int, int) {
	i, j = clampIndex(i, n), clampIndex(j, n)
	return i, max(i, j)
}

// clampIndex is Python's rule for one slice bound over n items.
func clampIndex(i, n int) int {
	if i < 0 {
		return max(i+n, 0)
	}
	return min(i, n)
}

// Slice returns a copy of the bytes mm[i:j], with Python's slice rules:
// negative bounds count from the end, and bounds are clamped to the map, so
// that Slice never fails. It returns nil once the [Map] is closed, or when the
// memory behind it is gone ([ErrFault]).
func (m *Map) Slice(i, j int) (p []byte) {
	if err := m.scan("slice", func(data []byte) {
		s, e := span(i, j, len(data))
		p = make([]byte, e-s)
		if e > s {
			m.copyOut(p, data, s)
		}
	}); err != nil {
		m.noteFault(err)
		return nil
	}
	return p
}

// SetSlice sets the bytes mm[i:j] to p (Python's mm[i:j] = p), with the
// bounds clamped as by Slice. The length of p must equal the length of the
// clamped span ([ErrOutOfRange] otherwise): a map never changes size by
// assignment. A read-only map is ErrReadOnly.
func (m *Map) SetSlice(i, j int, p []byte) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("set slice")
	}
	defer func() { m.leave(old, recover(), &err, "set slice") }()
	if !m.cfg.writable() {
		return errorf(ErrReadOnly, "set slice", "[%d:%d]", i, j)
	}
	s, e := span(i, j, len(m.mem.data))
	if len(p) != e-s {
		return errorf(ErrOutOfRange, "set slice", "%d bytes assigned to [%d:%d], a span of %d", len(p), i, j, e-s)
	}
	if len(p) == 0 {
		return nil
	}
	return m.copyIn("set slice", m.mem.data, s, p)
}

// ReadAt reads len(p) bytes at offset off, as [io.ReaderAt]: at or past the end
// it returns (0, [io.EOF]), and a short read returns the bytes it got with
// io.EOF. A negative offset is ErrOutOfRange. On Linux, the bytes of a
// shared or read-only file map may come from the file's descriptor (pread)
// where that is faster, or where the file is not in memory: see the
// package documentation, "Performance".
func (m *Map) ReadAt(p []byte, off int64) (n int, err error) {
	v := m.beginRead()
	if v == nil {
		return 0, m.closedError("read at")
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if faulted, retry := m.endRead(v, recover(), &err, "read at"); retry {
			n, err = m.ReadAt(p, off)
		} else if faulted {
			n = 0 // where in the copy the fault came is unknown
		}
	}()
	data := v.data
	if off < 0 {
		return 0, errorf(ErrOutOfRange, "read at", "negative offset %d", off)
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	if n = min(len(p), len(data)-int(off)); n > 0 {
		m.copyOut(p[:n], data, int(off))
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// WriteAt writes p at offset off, as [io.WriterAt], all or nothing: a write
// that would pass the end of the map (even of no bytes, starting past it)
// writes nothing and returns (0, [ErrOutOfRange]), since a map never grows by
// writing. A read-only map is ErrReadOnly.
func (m *Map) WriteAt(p []byte, off int64) (n int, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, m.closedError("write at")
	}
	defer func() {
		if m.leave(old, recover(), &err, "write at") {
			n = 0
		}
	}()
	if !m.cfg.writable() {
		return 0, errorf(ErrReadOnly, "write at", "%d bytes at offset %d", len(p), off)
	}
	data := m.mem.data
	if off < 0 {
		return 0, errorf(ErrOutOfRange, "write at", "negative offset %d", off)
	}
	if off > int64(len(data)) || int64(len(data))-off < int64(len(p)) {
		return 0, errorf(ErrOutOfRange, "write at", "%d bytes at offset %d pass the end of a map of %d bytes",
			len(p), off, len(data))
	}
	if len(p) > 0 {
		// copyIn, with byCopy inlined here: the hot record of a store
		if m.byCopy(int(off), len(p)) {
			copy(data[off:], p)
		} else if err := m.copyInCold("write at", data, int(off), p); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Move copies count bytes from offset src to offset dest inside the map, as
// memmove: the two spans may overlap (Python's mm.move). A span outside the
// map, or a negative argument, is [ErrOutOfRange]; a read-only map is
// ErrReadOnly.
func (m *Map) Move(dest, src, count int) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("move")
	}
	defer func() { m.leave(old, recover(), &err, "move") }()
	if !m.cfg.writable() {
		return errorf(ErrReadOnly, "move", "%d bytes from %d to %d", count, src, dest)
	}
	n := len(m.mem.data)
	if dest < 0 || src < 0 || count < 0 || n-dest < count || n-src < count {
		return errorf(ErrOutOfRange, "move", "%d bytes from %d to %d in a map of %d bytes", count, src, dest, n)
	}
	copy(m.mem.data[dest:dest+count], m.mem.data[src:src+count])
	return nil
}
