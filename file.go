package mmap

import (
	"bytes"
	"io"
	"iter"
	"runtime/debug"
	"unsafe"

	"github.com/mmapio/mmap/internal/lines"
)

// The file face of a Map: reads and writes at the current position, as
// Python's read, read_byte, readline, write, write_byte, seek and tell, and
// Go's io interfaces. The position starts at 0. These methods are not safe
// for concurrent use with each other, like those of bytes.Reader.

var (
	_ io.ReadWriteSeeker = (*Map)(nil)
	_ io.ByteReader      = (*Map)(nil)
	_ io.ByteWriter      = (*Map)(nil)
	_ io.StringWriter    = (*Map)(nil)
	_ io.WriterTo        = (*Map)(nil)
	_ io.Closer          = (*Map)(nil)
)

// Read reads up to len(p) bytes from the current position and advances it,
// as [io.Reader]. At the end of the map it returns (0, [io.EOF]).
func (m *Map) Read(p []byte) (n int, err error) {
	v := m.beginRead()
	if v == nil {
		return 0, m.closedError("read")
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if faulted, retry := m.endRead(v, recover(), &err, "read"); retry {
			n, err = m.Read(p)
		} else if faulted {
			n = 0 // where in the copy the fault came is unknown; the position stays
		}
	}()
	data := v.data
	if m.pos >= len(data) {
		return 0, io.EOF
	}
	// A run of Reads gets the helper of a scan (ahead.go), unless its
	// copies are large enough to read the file (readpath.go), which the
	// helper's populating would not speed up.
	if n = min(len(p), len(data)-m.pos); n > 0 && (m.copyOut(p[:n], data, m.pos) || n < largeRead && !m.cfg.remote) {
		m.advance(m.gen.Load(), data, m.pos, n)
	}
	m.pos += n
	return n, nil
}

// ReadByte reads the byte at the current position and advances it, as
// [io.ByteReader]. At the end of the map it returns [io.EOF].
func (m *Map) ReadByte() (b byte, err error) {
	v := m.beginRead()
	if v == nil {
		return 0, m.closedError("read byte")
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if _, retry := m.endRead(v, recover(), &err, "read byte"); retry {
			b, err = m.ReadByte()
		}
	}()
	data := v.data
	if m.pos >= len(data) {
		return 0, io.EOF
	}
	b = data[m.pos]
	m.pos++
	return b, nil
}

// ReadLine returns a copy of the bytes from the current position through the
// next '\n' inclusive, or to the end of the map when no '\n' follows, and
// advances the position past them (Python's readline). At the end of the map
// it returns (nil, [io.EOF]).
func (m *Map) ReadLine() (line []byte, err error) {
	err = m.scan("read line", func(data []byte) {
		rest := m.rest(data)
		line = bytes.Clone(rest[:lineEnd(rest)])
		m.advance(m.gen.Load(), data, m.pos, len(line))
		m.pos += len(line)
	})
	switch {
	case err != nil:
		return nil, err
	case len(line) == 0:
		return nil, io.EOF
	}
	return line, nil
}

// rest returns the bytes of data, the mapping, from the position to the
// end; empty when the position is at or past the end (after a Resize shrank
// the map).
func (m *Map) rest(data []byte) []byte {
	return data[min(m.pos, len(data)):]
}

// lineEnd returns the length of the first line of p, '\n' included.
func lineEnd(p []byte) int {
	if i := bytes.IndexByte(p, '\n'); i >= 0 {
		return i + 1
	}
	return len(p)
}

// Lines returns an iterator over the lines from the current position on, each
// through its '\n' inclusive (the last without one when the data has none).
// The lines are views of the map, not copies, valid until Close or Resize
// like Bytes (and, like Bytes, they keep a dropped [Map] from being unmapped).
// Each step advances the position past the line it yields, so a loop that
// breaks leaves the position after that line; a loop body may Seek, and the
// next line then starts at the new position. The iteration stops at the end
// of the map, when the Map is closed, or when the memory behind it is gone.
func (m *Map) Lines() iter.Seq[[]byte] {
	// The loop is small enough for the compiler to inline it, and the loop
	// body with it, into the caller: a call per line through yield would
	// cost about as much as finding the line (internal/lines). The
	// rest is in lineScan.
	return func(yield func([]byte) bool) {
		if m == nil {
			return
		}
		s := lineScan{m: m, from: m.pos}
		for s.next() {
			gen, data, start := s.gen, s.data, s.start // in registers
			for _, end := range s.ends[:s.n] {
				// A Resize or Close in the loop body makes data stale, and
				// a Seek moves on: either way, scan again.
				if m.gen.Load() != gen || m.pos != start {
					break
				}
				m.pos = end
				if !yield(data[start:end:end]) {
					s.done()
					return
				}
				start = end
			}
		}
	}
}

// LinesErr is Lines in the form Go's iterators take when they can fail:
// each line comes with a nil error and, when a fault ended the lines (a
// truncated file, a page the disk could not read), the error wrapping
// [ErrFault] comes last with a nil line (as with Lines, [Map.Err] keeps it
// too); a [Map] closed under the loop ends it with ErrClosed. The end of the
// map is no error.
//
//	for line, err := range m.LinesErr() {
//		if err != nil {
//			return err
//		}
//		…
//	}
func (m *Map) LinesErr() iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		if m == nil || m.mem == nil {
			yield(nil, m.closedError("lines"))
			return
		}
		s := lineScan{m: m, from: m.pos}
		for s.next() {
			gen, data, start := s.gen, s.data, s.start
			for _, end := range s.ends[:s.n] {
				if m.gen.Load() != gen || m.pos != start {
					break // as in Lines
				}
				m.pos = end
				if !yield(data[start:end:end], nil) {
					s.done()
					return
				}
				start = end
			}
		}
		if s.err != nil {
			yield(nil, s.err)
		}
	}
}

// lineScan is the state of one iteration of Lines.
type lineScan struct {
	m     *Map
	err   error  // what ended the lines: a fault, or ErrClosed
	from  int    // the position the iteration began at
	gen   uint64 // of the mapping the batch lies in
	data  []byte // the mapping
	start int    // where the next line of the batch starts
	n     int    // how many lines the batch has
	ends  [linesBatch]int

	// A long scan gets help: a helper populating ahead once it has gone
	// aheadFrom bytes, advice once it has gone scanHint bytes; a loop that
	// reads a few lines and breaks pays for neither.
	a                *ahead
	advised, hinted  bool
	hintGen          uint64
	hintFrom, hintTo int
}

// next finds the next batch of lines and reports whether there is one; at
// the end it releases the help, as done.
func (s *lineScan) next() bool {
	m := s.m
	s.gen = m.gen.Load()
	s.data, s.n, s.err = m.scanLines(&s.ends)
	if s.n == 0 {
		s.done()
		return false
	}
	s.start = m.pos
	if m.pos-s.from >= aheadFrom {
		s.a = m.follow(s.a, s.gen, s.data, m.pos)
	}
	if !s.advised && m.pos-s.from >= scanHint {
		s.advised = true
		s.hintGen, s.hintFrom, s.hintTo, s.hinted = m.hintRest()
	}
	return true
}

// done releases the help of a scan that ends. A loop body that panics skips
// it: the helper then stops by itself, at the end of its queue.
func (s *lineScan) done() {
	s.a.stop()
	if s.hinted {
		s.m.unhintRest(s.hintGen, s.hintFrom, s.hintTo)
	}
}

// linesBatch is how many lines Lines finds per guarded call, so that the
// guard's cost per line is small.
const linesBatch = 64

// scanLines finds the ends of up to len(ends) lines from the position, and
// returns the mapping they lie in and their number: 0 at the end of the
// map, once it is closed, or when the memory behind it is gone, with the
// error that says which.
func (m *Map) scanLines(ends *[linesBatch]int) (data []byte, n int, err error) {
	if err := m.scan("lines", func(d []byte) {
		m.mem.escaped.Store(true)
		data, n = d, lines.Ends(d, m.pos, ends[:])
	}); err != nil {
		m.noteFault(err)
		return nil, 0, err
	}
	return data, n, nil
}

// Write writes p at the current position and advances it, as [io.Writer], all
// or nothing: when p does not fit before the end of the map, Write writes
// nothing and returns (0, [ErrOutOfRange]), since a map never grows by writing
// (Python's "data out of range"). A read-only map is ErrReadOnly.
func (m *Map) Write(p []byte) (int, error) { return write(m, "write", p) }

// WriteString is Write for a string, as io.StringWriter, without a copy.
func (m *Map) WriteString(s string) (int, error) { return write(m, "write string", s) }

func write[T string | []byte](m *Map, op string, p T) (n int, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, m.closedError(op)
	}
	defer func() {
		if m.leave(old, recover(), &err, op) {
			n = 0 // the position stays
		}
	}()
	if !m.cfg.writable() {
		return 0, errorf(ErrReadOnly, op, "%d bytes", len(p))
	}
	data := m.mem.data
	if m.pos > len(data) || len(data)-m.pos < len(p) {
		return 0, errorf(ErrOutOfRange, op, "%d bytes at position %d pass the end of a map of %d bytes",
			len(p), m.pos, len(data))
	}
	if len(p) > 0 {
		if err := m.copyIn(op, data, m.pos, bytesOf(p)); err != nil {
			return 0, err
		}
	}
	m.pos += len(p)
	return len(p), nil
}

// WriteByte writes c at the current position and advances it, as
// io.ByteWriter. At the end of the map it is [ErrOutOfRange]; a read-only map
// is ErrReadOnly.
func (m *Map) WriteByte(c byte) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("write byte")
	}
	defer func() { m.leave(old, recover(), &err, "write byte") }()
	if !m.cfg.writable() {
		return errorf(ErrReadOnly, "write byte", "%#02x", c)
	}
	data := m.mem.data
	if m.pos >= len(data) {
		return errorf(ErrOutOfRange, "write byte", "position %d is at or past the end of a map of %d bytes",
			m.pos, len(data))
	}
	data[m.pos] = c
	m.pos++
	return nil
}

// Seek sets the position for the next Read or Write, as [io.Seeker]: offset is
// relative to the start (io.SeekStart), the current position (io.SeekCurrent)
// or the end (io.SeekEnd, so a negative offset goes back from the end). The
// result must lie in [0, Len()]: seeking to exactly Len() is allowed, one
// byte past it is [ErrOutOfRange], and so is a position before 0; the position
// is then left as it was. An unknown whence is ErrInvalid.
func (m *Map) Seek(offset int64, whence int) (pos int64, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, m.closedError("seek")
	}
	defer func() { m.leave(old, recover(), &err, "seek") }()
	n := int64(len(m.mem.data))
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(m.pos)
	case io.SeekEnd:
		base = n
	default:
		return 0, errorf(ErrInvalid, "seek", "unknown whence %d", whence)
	}
	// base lies in [0, MaxInt], so base+offset overflows only when
	// offset > MaxInt64-base.
	if offset > n-base || base+offset < 0 {
		return 0, errorf(ErrOutOfRange, "seek", "offset %d from %d is outside [0, %d]", offset, base, n)
	}
	m.pos = int(base + offset)
	return base + offset, nil
}

// Tell returns the current position (Python's tell), or 0 once the [Map] is
// closed. After a Resize that shrank the map it may lie past the end.
func (m *Map) Tell() int {
	if m == nil || m.mem == nil || m.closed.Load() {
		return 0
	}
	return m.pos
}

// WriteTo writes the bytes from the current position to the end of the map
// to w, as [io.WriterTo], and advances the position past what w took. It hands
// w views of the map in large chunks, without copying them; w must not keep
// them. Close waits for the chunk being written.
//
// On Linux, when the map's bytes are its file's (a shared or read-only map
// of a file) and w is an *[os.File] or a network connection, the kernel may
// copy them from the file itself (copy_file_range, sendfile), which skips
// the page faults of a fresh map: WriteTo does so where the page cache
// holds the file in small folios (a fault there maps 64 KiB at most), as
// a probe of the mapping tells; where it cannot tell (no
// /proc/self/pagemap), it keeps to the mapping, as the copies out do. A
// file shorter than the map is [ErrFault] on either path.
//
// When a chunk faults while w copies it (w's Write touches the lost page),
// the chunk counts for nothing: total is what the earlier chunks wrote and
// the position moves past them only, but w may already hold part of the
// failed chunk (a bytes.Buffer has grown by it, its tail unfilled), as w
// cannot report a write that its own copy cut short. A w that is a file or
// a socket hands the chunk to the kernel, which copies what it can, and
// total then counts what it took. A nil w is ErrInvalid.
func (m *Map) WriteTo(w io.Writer) (total int64, err error) {
	if m == nil || m.mem == nil || m.closed.Load() {
		return 0, m.closedError("write to")
	}
	if w == nil {
		return 0, errorf(ErrInvalid, "write to", "nil io.Writer")
	}
	if gen, s, e, hinted := m.hintRest(); hinted {
		defer m.unhintRest(gen, s, e)
	}
	var a *ahead
	defer func() { a.stop() }()
	k := m.kernelCopier(w) // nil: by the mapping
	for {
		var n int
		var done, unsupported bool
		var werr error
		if k != nil {
			n, done, unsupported, werr = m.kernelChunk(k)
		} else {
			n, done, werr = m.writeChunk(w, &a)
		}
		if unsupported {
			k = nil // by the mapping from here
		}
		total += int64(n)
		if werr != nil || done {
			return total, werr
		}
	}
}

// The paths of the copies, writes and scans, which the tests force in
// turn: the one the map chooses, the file's (the descriptor), the
// mapping's.
const (
	pathAuto = iota
	pathFile
	pathMapping
)

// forcePath is pathAuto but in the tests.
var forcePath = pathAuto

// writeToChunk is the size of the views WriteTo hands to the writer: large
// enough that the writer's per-call cost vanishes, small enough that Close
// does not wait long.
const writeToChunk = 4 << 20

// writeChunk writes one chunk for WriteTo; *a is the helper of the scan.
func (m *Map) writeChunk(w io.Writer, a **ahead) (n int, done bool, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, true, m.closedError("write to")
	}
	defer func() { m.leave(old, recover(), &err, "write to") }()
	rest := m.rest(m.mem.data)
	if len(rest) == 0 {
		return 0, true, nil
	}
	if *a != nil || len(rest) >= aheadFrom {
		*a = m.follow(*a, m.gen.Load(), m.mem.data, m.pos)
	}
	chunk := rest[:min(len(rest), writeToChunk):min(len(rest), writeToChunk)]
	n, err = w.Write(chunk)
	if n < 0 || n > len(chunk) {
		n = 0
		err = io.ErrShortWrite
	}
	if badAddress(err) {
		// A writer with a descriptor (a socket, a file) hands the chunk to
		// the kernel, which meets the fault in its copy and says EFAULT.
		err = m.fileFault("write to", uintptr(unsafe.Pointer(&chunk[max(0, min(n, len(chunk)-1))])), m.mem.data)
	}
	m.pos += n
	if err == nil && n < len(chunk) {
		err = io.ErrShortWrite
	}
	return n, err != nil, err
}
