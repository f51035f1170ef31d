package mmap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"testing"
)

// FuzzOps decodes its input into a map and a sequence of operations with any
// arguments, runs them on a Map and on model, a plain []byte and position
// that follow CPython's semantics, and compares every result, every error's
// identity, the position and the bytes after each step.
func FuzzOps(f *testing.F) {
	f.Add([]byte("\x00\x10hello world\nline two\n\x00\x01\x02\x03\x04\x05\x06\x07"))
	f.Add([]byte("\x03\x08abc\ndef\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"))
	f.Add([]byte("\x02\xff\x05\xfe\x09\x01\x00\x00\x00\x00\x00\x00\x80\x0b\x00\x16\x02"))
	f.Add([]byte("\x04\x20ababababab\n\n\nabab\x00\x0f\x80\x81\x07\x95\x1a\x1c\x1d"))
	f.Fuzz(runFuzzOnce)
}

func runFuzzOnce(t *testing.T, in []byte) {
	{
		d := &decoder{in: in}
		setup := d.byte()
		access := Access(setup % 4)
		anon := setup&4 != 0 && access != AccessRead
		n := 1 + int(d.byte())
		data := make([]byte, n)
		for i := range data {
			data[i] = d.byte()
		}
		var m *Map
		var err error
		if anon {
			m, err = Anonymous(n, &Options{Access: access})
			if err == nil {
				m.SetSlice(0, n, data)
			}
		} else {
			m, err = mapTemp(data, access)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		mod := newModel(data, access, anon)
		for step := 0; step < 64 && !d.done(); step++ {
			desc, got, want := runOp(d, m, mod)
			if got != want {
				t.Fatalf("step %d: %s: Map %s, model %s", step, desc, got, want)
			}
			if m.Tell() != mod.pos {
				t.Fatalf("step %d: %s: position %d, model %d", step, desc, m.Tell(), mod.pos)
			}
			if b := m.Slice(0, m.Len()); !bytes.Equal(b, mod.data) {
				t.Fatalf("step %d: %s: bytes %q, model %q", step, desc, b, mod.data)
			}
		}
	}
}

// mapTemp maps a removed temporary file that holds data: cheaper than
// t.TempDir, whose clean-up would dominate the fuzzer's executions.
func mapTemp(data []byte, access Access) (*Map, error) {
	f, err := os.CreateTemp("", "mmap-fuzz-")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		return nil, err
	}
	return MapFile(f, 0, &Options{Access: access})
}

// decoder turns fuzz input into bytes and integers, running out gently.
type decoder struct {
	in []byte
}

func (d *decoder) done() bool { return len(d.in) == 0 }

func (d *decoder) byte() byte {
	if len(d.in) == 0 {
		return 0
	}
	b := d.in[0]
	d.in = d.in[1:]
	return b
}

// int returns an argument: small values near the map's length n mostly,
// and the extremes sometimes.
func (d *decoder) int(n int) int {
	b := d.byte()
	switch b >> 5 {
	case 0, 1, 2:
		return int(b&63) - 16 // -16..47
	case 3:
		return n - 8 + int(b&15) // near the end
	case 4:
		return -n - 8 + int(b&15) // near the start, from the end
	case 5:
		return int([]int64{math.MaxInt, math.MinInt, math.MaxInt - 1, math.MinInt + 1, int64(PageSize),
			-int64(PageSize), 2 * int64(PageSize), math.MaxInt32, math.MinInt32, 1 << 40, -(1 << 40), 0}[int(b&31)%12])
	default:
		var buf [8]byte
		for i := range buf {
			buf[i] = d.byte()
		}
		return int(binary.LittleEndian.Uint64(buf[:]))
	}
}

func (d *decoder) bytes() []byte {
	n := int(d.byte() % 12)
	p := make([]byte, n)
	for i := range p {
		p[i] = "ab\n\x00"[d.byte()%4]
	}
	return p
}

// runOp decodes one operation, runs it on m and on mod, and describes it
// and both outcomes.
func runOp(d *decoder, m *Map, mod *model) (desc, got, want string) {
	n := mod.len()
	out := func(v any, err error) string {
		if err != nil {
			return fmt.Sprintf("(%v, %s)", v, errName(err))
		}
		return fmt.Sprintf("(%v, nil)", v)
	}
	switch op := d.byte() % 24; op {
	case 0:
		i := d.int(n)
		desc = fmt.Sprintf("At(%d)", i)
		got, want = out(m.At(i)), out(mod.at(i))
	case 1:
		i, b := d.int(n), d.byte()
		desc = fmt.Sprintf("SetAt(%d, %d)", i, b)
		got, want = out(nil, m.SetAt(i, b)), out(nil, mod.setAt(i, b))
	case 2:
		i, j := d.int(n), d.int(n)
		desc = fmt.Sprintf("Slice(%d, %d)", i, j)
		got, want = fmt.Sprintf("%q", m.Slice(i, j)), fmt.Sprintf("%q", mod.slice(i, j))
	case 3:
		i, j, p := d.int(n), d.int(n), d.bytes()
		desc = fmt.Sprintf("SetSlice(%d, %d, %q)", i, j, p)
		got, want = out(nil, m.SetSlice(i, j, p)), out(nil, mod.setSlice(i, j, p))
	case 4:
		size, off := int(d.byte()%40), int64(d.int(n))
		desc = fmt.Sprintf("ReadAt(%d bytes, %d)", size, off)
		p, q := make([]byte, size), make([]byte, size)
		k, err := m.ReadAt(p, off)
		l, merr := mod.readAt(q, off)
		got, want = out(fmt.Sprintf("%q", p[:k]), err), out(fmt.Sprintf("%q", q[:l]), merr)
	case 5:
		p, off := d.bytes(), int64(d.int(n))
		desc = fmt.Sprintf("WriteAt(%q, %d)", p, off)
		got, want = out(m.WriteAt(p, off)), out(mod.writeAt(p, off))
	case 6, 7, 8, 9:
		sub := d.bytes()
		if op == 6 || op == 8 {
			desc = fmt.Sprintf("Find(%q) rev=%v", sub, op == 8)
			if op == 6 {
				got = fmt.Sprint(m.Find(sub))
			} else {
				got = fmt.Sprint(m.RFind(sub))
			}
			want = fmt.Sprint(mod.find(sub, mod.pos, n, op == 8))
		} else {
			i, j := d.int(n), d.int(n)
			desc = fmt.Sprintf("FindIn(%q, %d, %d) rev=%v", sub, i, j, op == 9)
			if op == 7 {
				got = fmt.Sprint(m.FindIn(sub, i, j))
			} else {
				got = fmt.Sprint(m.RFindIn(sub, i, j))
			}
			want = fmt.Sprint(mod.find(sub, i, j, op == 9))
		}
	case 10:
		size := int(d.byte() % 40)
		desc = fmt.Sprintf("Read(%d bytes)", size)
		p, q := make([]byte, size), make([]byte, size)
		k, err := m.Read(p)
		l, merr := mod.read(q)
		got, want = out(fmt.Sprintf("%q", p[:k]), err), out(fmt.Sprintf("%q", q[:l]), merr)
	case 11:
		desc = "ReadByte()"
		got, want = out(m.ReadByte()), out(mod.readByte())
	case 12:
		desc = "ReadLine()"
		line, err := m.ReadLine()
		mline, merr := mod.readLine()
		got, want = out(fmt.Sprintf("%q", line), err), out(fmt.Sprintf("%q", mline), merr)
	case 13:
		p := d.bytes()
		desc = fmt.Sprintf("Write(%q)", p)
		got, want = out(m.Write(p)), out(mod.write(p))
	case 14:
		p := d.bytes()
		desc = fmt.Sprintf("WriteString(%q)", p)
		got, want = out(m.WriteString(string(p))), out(mod.write(p))
	case 15:
		b := d.byte()
		desc = fmt.Sprintf("WriteByte(%d)", b)
		got, want = out(nil, m.WriteByte(b)), out(nil, mod.writeByte(b))
	case 16:
		off, whence := int64(d.int(n)), int(d.byte()%5)-1
		desc = fmt.Sprintf("Seek(%d, %d)", off, whence)
		got, want = out(m.Seek(off, whence)), out(mod.seek(off, whence))
	case 17:
		dest, src, count := d.int(n), d.int(n), d.int(n)
		desc = fmt.Sprintf("Move(%d, %d, %d)", dest, src, count)
		got, want = out(nil, m.Move(dest, src, count)), out(nil, mod.move(dest, src, count))
	case 18:
		size := d.int(n)
		if size > 4*PageSize { // keep real allocations small
			size = size%(4*PageSize) + 1
		}
		desc = fmt.Sprintf("Resize(%d)", size)
		got, want = out(nil, m.Resize(size)), out(nil, mod.resize(size))
	case 19:
		off, size := d.int(n), d.int(n)
		desc = fmt.Sprintf("FlushRange(%d, %d)", off, size)
		got, want = out(nil, m.FlushRange(off, size)), out(nil, mod.flushRange(off, size))
	case 20:
		start, length := d.int(n), d.int(n)
		desc = fmt.Sprintf("MadviseRange(MADV_NORMAL, %d, %d)", start, length)
		got, want = out(nil, m.MadviseRange(MADV_NORMAL, start, length)), out(nil, mod.madviseRange(start, length))
	case 21:
		stop := int(d.byte() % 8)
		desc = fmt.Sprintf("Lines() breaking after %d", stop)
		var a, b []string
		for line := range m.Lines() {
			if a = append(a, string(line)); len(a) == stop {
				break
			}
		}
		for _, line := range mod.lines(stop) {
			b = append(b, string(line))
		}
		got, want = fmt.Sprintf("%q", a), fmt.Sprintf("%q", b)
	case 22:
		desc = "WriteTo()"
		var a, b bytes.Buffer
		k, err := m.WriteTo(&a)
		b.Write(mod.rest())
		mod.pos = max(mod.pos, n)
		got, want = out(fmt.Sprintf("%d %q", k, a.Bytes()), err), out(fmt.Sprintf("%d %q", b.Len(), b.Bytes()), nil)
	default:
		desc = "Len() Tell() Size()"
		size, err := m.Size()
		got = fmt.Sprintf("%d %d %d %v", m.Len(), m.Tell(), size, err)
		want = fmt.Sprintf("%d %d %d %v", n, mod.pos, n, nil)
	}
	return desc, got, want
}

// errName names the sentinel an error wraps.
func errName(err error) string {
	for _, s := range []struct {
		err  error
		name string
	}{{ErrClosed, "ErrClosed"}, {ErrReadOnly, "ErrReadOnly"}, {ErrOutOfRange, "ErrOutOfRange"},
		{ErrInvalid, "ErrInvalid"}, {ErrEmptyFile, "ErrEmptyFile"}, {ErrFault, "ErrFault"}, {io.EOF, "EOF"}} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "other: " + err.Error()
}

// model is CPython's mmap object, as a slice and a position, with the Go
// conventions of the package's API (io.EOF, all-or-nothing writes). It shares
// no code with the package: it is written from CPython's mmapmodule.c.
type model struct {
	data     []byte // a view of pages: the bytes past it that a shrink hid
	pages    []byte
	pos      int
	access   Access
	anon     bool
	writable bool
}

func newModel(data []byte, access Access, anon bool) *model {
	pages := make([]byte, (len(data)+PageSize-1)/PageSize*PageSize)
	copy(pages, data)
	return &model{data: pages[:len(data)], pages: pages, access: access, anon: anon, writable: access != AccessRead}
}

func (m *model) len() int { return len(m.data) }

func (m *model) rest() []byte {
	if m.pos >= len(m.data) {
		return nil
	}
	return m.data[m.pos:]
}

// index is CPython's rule for mm[i].
func (m *model) index(i int) (int, bool) {
	if i < 0 {
		i += len(m.data)
	}
	return i, i >= 0 && i < len(m.data)
}

func (m *model) at(i int) (byte, error) {
	if i, ok := m.index(i); ok {
		return m.data[i], nil
	}
	return 0, ErrOutOfRange
}

func (m *model) setAt(i int, b byte) error {
	if !m.writable {
		return ErrReadOnly
	}
	if i, ok := m.index(i); ok {
		m.data[i] = b
		return nil
	}
	return ErrOutOfRange
}

// bounds is PySlice_AdjustIndices for a step of 1.
func (m *model) bounds(i, j int) (int, int) {
	n := len(m.data)
	adjust := func(x int) int {
		if x < 0 {
			x += n
			if x < 0 {
				x = 0
			}
		} else if x > n {
			x = n
		}
		return x
	}
	i, j = adjust(i), adjust(j)
	if j < i {
		j = i
	}
	return i, j
}

func (m *model) slice(i, j int) []byte {
	i, j = m.bounds(i, j)
	return append([]byte{}, m.data[i:j]...)
}

func (m *model) setSlice(i, j int, p []byte) error {
	if !m.writable {
		return ErrReadOnly
	}
	i, j = m.bounds(i, j)
	if len(p) != j-i {
		return ErrOutOfRange
	}
	copy(m.data[i:j], p)
	return nil
}

func (m *model) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, ErrOutOfRange
	}
	if off >= int64(len(m.data)) {
		return 0, io.EOF
	}
	k := copy(p, m.data[off:])
	if k < len(p) {
		return k, io.EOF
	}
	return k, nil
}

func (m *model) writeAt(p []byte, off int64) (int, error) {
	if !m.writable {
		return 0, ErrReadOnly
	}
	if off < 0 || off > int64(len(m.data)) || int64(len(m.data))-off < int64(len(p)) {
		return 0, ErrOutOfRange
	}
	return copy(m.data[off:], p), nil
}

// find is mmap_gfind: clamp start and end, then search data[start:end].
func (m *model) find(sub []byte, start, end int, reverse bool) int {
	n := len(m.data)
	clamp := func(x int) int {
		if x < 0 {
			x += n
			if x < 0 {
				return 0
			}
		} else if x > n {
			return n
		}
		return x
	}
	start, end = clamp(start), clamp(end)
	if end < start {
		return -1
	}
	hay := m.data[start:end]
	if reverse {
		for i := len(hay) - len(sub); i >= 0; i-- {
			if bytes.Equal(hay[i:i+len(sub)], sub) {
				return start + i
			}
		}
		return -1
	}
	for i := 0; i+len(sub) <= len(hay); i++ {
		if bytes.Equal(hay[i:i+len(sub)], sub) {
			return start + i
		}
	}
	return -1
}

func (m *model) read(p []byte) (int, error) {
	rest := m.rest()
	if len(rest) == 0 {
		return 0, io.EOF
	}
	k := copy(p, rest)
	m.pos += k
	return k, nil
}

func (m *model) readByte() (byte, error) {
	if m.pos >= len(m.data) {
		return 0, io.EOF
	}
	m.pos++
	return m.data[m.pos-1], nil
}

func (m *model) readLine() ([]byte, error) {
	rest := m.rest()
	if len(rest) == 0 {
		return nil, io.EOF
	}
	k := len(rest)
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		k = i + 1
	}
	m.pos += k
	return append([]byte{}, rest[:k]...), nil
}

func (m *model) lines(stop int) [][]byte {
	var out [][]byte
	for {
		line, err := m.readLine()
		if err != nil {
			return out
		}
		if out = append(out, line); len(out) == stop {
			return out
		}
	}
}

func (m *model) write(p []byte) (int, error) {
	if !m.writable {
		return 0, ErrReadOnly
	}
	if m.pos > len(m.data) || len(m.data)-m.pos < len(p) {
		return 0, ErrOutOfRange
	}
	copy(m.data[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *model) writeByte(b byte) error {
	if !m.writable {
		return ErrReadOnly
	}
	if m.pos >= len(m.data) {
		return ErrOutOfRange
	}
	m.data[m.pos] = b
	m.pos++
	return nil
}

func (m *model) seek(off int64, whence int) (int64, error) {
	var where int64
	switch whence {
	case 0:
		where = off
	case 1:
		if off > math.MaxInt64-int64(m.pos) {
			return 0, ErrOutOfRange
		}
		where = int64(m.pos) + off
	case 2:
		if off > math.MaxInt64-int64(len(m.data)) {
			return 0, ErrOutOfRange
		}
		where = int64(len(m.data)) + off
	default:
		return 0, ErrInvalid
	}
	if where > int64(len(m.data)) || where < 0 {
		return 0, ErrOutOfRange
	}
	m.pos = int(where)
	return where, nil
}

func (m *model) move(dest, src, count int) error {
	if !m.writable {
		return ErrReadOnly
	}
	n := len(m.data)
	if dest < 0 || src < 0 || count < 0 || n-dest < count || n-src < count {
		return ErrOutOfRange
	}
	copy(m.data[dest:dest+count], m.data[src:src+count])
	return nil
}

// resize follows CPython, with this package's rules for what CPython leaves
// broken: the size must be positive, and the map's pages behave as the
// kernel's do (a file shrunk and grown again reads zeros; anonymous memory
// shows again what a shrink hid in its last page).
func (m *model) resize(size int) error {
	if m.access == AccessRead || m.access == AccessCopy {
		return ErrReadOnly
	}
	if size <= 0 {
		return ErrInvalid
	}
	pages := make([]byte, (size+PageSize-1)/PageSize*PageSize)
	if m.anon {
		copy(pages, m.pages)
	} else {
		copy(pages, m.data[:min(size, len(m.data))])
	}
	m.data, m.pages = pages[:size], pages
	return nil
}

func (m *model) flushRange(off, size int) error {
	if off < 0 || size < 0 || len(m.data)-off < size {
		return ErrOutOfRange
	}
	if m.access == AccessRead || m.access == AccessCopy {
		return nil
	}
	if off%PageSize != 0 {
		return ErrInvalid
	}
	return nil
}

func (m *model) madviseRange(start, length int) error {
	if start < 0 || start >= len(m.data) {
		return ErrOutOfRange
	}
	if length < 0 || start%PageSize != 0 {
		return ErrInvalid
	}
	return nil
}
