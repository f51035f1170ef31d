package mmap

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"testing"
)

// Ports of CPython's Lib/test/test_mmap.py (3.13): each test says which
// CPython test it ports. The tests that cannot apply to Go or to Unix
// (extended slices with a step, subclassing, __sizeof__, repr, weakref,
// Windows tag names and pagefile maps) are left out; the random operation
// sequences of TestCPythonOps cover the rest of the semantics.

// CPython: test_basic.
func TestBasic(t *testing.T) {
	data := make([]byte, 2*PageSize)
	copy(data[PageSize:], "foo")
	path := writeFile(t, data)
	f := openTestFile(t, path, false)
	m, err := MapFile(f, 2*PageSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	f.Close() // the map keeps its own descriptor

	if got := m.Find([]byte("foo")); got != PageSize {
		t.Errorf("Find(foo) = %d, want %d", got, PageSize)
	}
	if m.Len() != 2*PageSize {
		t.Errorf("Len = %d", m.Len())
	}
	if b, err := m.At(0); b != 0 || err != nil {
		t.Errorf("At(0) = %d, %v", b, err)
	}
	if got := m.Slice(0, 3); !bytes.Equal(got, []byte{0, 0, 0}) {
		t.Errorf("Slice(0, 3) = %q", got)
	}
	// Shouldn't crash on boundary (CPython issue #5292).
	if _, err := m.At(m.Len()); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("At(Len) error = %v", err)
	}
	if err := m.SetAt(m.Len(), 0); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("SetAt(Len) error = %v", err)
	}
	must(t, m.SetAt(0, '3'))
	must(t, m.SetSlice(PageSize+3, PageSize+6, []byte("bar")))
	if b, _ := m.At(0); b != '3' {
		t.Errorf("At(0) = %q after SetAt", b)
	}
	if got := m.Slice(0, 3); string(got) != "3\x00\x00" {
		t.Errorf("Slice(0, 3) = %q", got)
	}
	if got := m.Slice(PageSize-1, PageSize+7); string(got) != "\x00foobar\x00" {
		t.Errorf("Slice around the page = %q", got)
	}
	must(t, m.Flush())

	// A regular expression over the mapped bytes.
	loc := regexp.MustCompile(`[A-Za-z]+`).FindIndex(m.Bytes())
	if loc == nil || loc[0] != PageSize || loc[1] != PageSize+6 {
		t.Errorf("regexp match at %v, want [%d %d]", loc, PageSize, PageSize+6)
	}

	// Seeking around.
	seek(t, m, 0, io.SeekStart, 0)
	seek(t, m, 42, io.SeekCurrent, 42)
	seek(t, m, 0, io.SeekEnd, int64(m.Len()))
	for _, c := range []struct {
		off    int64
		whence int
	}{{-1, io.SeekStart}, {1, io.SeekEnd}, {int64(-m.Len() - 1), io.SeekEnd}} {
		if _, err := m.Seek(c.off, c.whence); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Seek(%d, %d) error = %v", c.off, c.whence, err)
		}
	}

	// Resizing the map truncates the file too (CPython bug #728515).
	must(t, m.Resize(512))
	if m.Len() != 512 {
		t.Errorf("Len = %d after Resize(512)", m.Len())
	}
	if _, err := m.Seek(513, io.SeekStart); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Seek past the new end: %v", err)
	}
	if st, _ := os.Stat(path); st.Size() != 512 {
		t.Errorf("file size %d after Resize(512)", st.Size())
	}
	if size, err := m.Size(); size != 512 || err != nil {
		t.Errorf("Size = %d, %v", size, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func seek(t *testing.T, m *Map, off int64, whence int, want int64) {
	t.Helper()
	got, err := m.Seek(off, whence)
	if got != want || err != nil || m.Tell() != int(want) {
		t.Errorf("Seek(%d, %d) = %d, %v; Tell %d; want %d", off, whence, got, err, m.Tell(), want)
	}
}

// CPython: test_access_parameter.
func TestAccessParameter(t *testing.T) {
	const size = 10
	a := bytes.Repeat([]byte("a"), size)
	path := writeFile(t, a)

	m, err := MapFile(openTestFile(t, path, true), size, &Options{Access: AccessRead})
	must(t, err)
	if got := m.Slice(0, size); !bytes.Equal(got, a) {
		t.Errorf("read-only map holds %q", got)
	}
	for name, err := range map[string]error{
		"SetSlice":  m.SetSlice(0, size, bytes.Repeat([]byte("b"), size)),
		"SetAt":     m.SetAt(0, 'b'),
		"Write":     second(m.Write([]byte("abc"))),
		"WriteByte": m.WriteByte('d'),
		"Resize":    m.Resize(2 * size),
		"Move":      m.Move(0, 1, 1),
	} {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only map: %v", name, err)
		}
	}
	m.Close()
	if got := fileBytes(t, path); !bytes.Equal(got, a) {
		t.Errorf("read-only map changed the file to %q", got)
	}

	// A length past the end of the file: ErrInvalid on Unix; on Windows the
	// file grows, as CPython's test expects there, and is repaired after.
	m, err = MapFile(openTestFile(t, path, false), size+1, nil)
	switch {
	case !growsFile && !errors.Is(err, ErrInvalid):
		t.Errorf("length past the end: %v", err)
	case growsFile && err != nil:
		t.Errorf("length past the end on Windows: %v", err)
	case growsFile:
		m.Close()
		if got := fileBytes(t, path); len(got) != size+1 {
			t.Errorf("the file has %d bytes, want %d", len(got), size+1)
		}
		must(t, os.Truncate(path, size))
	}

	// Write-through.
	m, err = MapFile(openTestFile(t, path, false), size, &Options{Access: AccessWrite})
	must(t, err)
	c := bytes.Repeat([]byte("c"), size)
	must(t, m.SetSlice(0, size, c))
	if got := m.Slice(0, size); !bytes.Equal(got, c) {
		t.Errorf("write-through map holds %q", got)
	}
	must(t, m.Flush())
	must(t, m.Close())
	if got := fileBytes(t, path); !bytes.Equal(got, c) {
		t.Errorf("write-through map left the file as %q", got)
	}

	// Copy-on-write.
	m, err = MapFile(openTestFile(t, path, false), size, &Options{Access: AccessCopy})
	must(t, err)
	d := bytes.Repeat([]byte("d"), size)
	must(t, m.SetSlice(0, size, d))
	if got := m.Slice(0, size); !bytes.Equal(got, d) {
		t.Errorf("copy-on-write map holds %q", got)
	}
	must(t, m.Flush())
	if got := fileBytes(t, path); !bytes.Equal(got, c) {
		t.Errorf("copy-on-write map changed the file to %q", got)
	}
	if err := m.Resize(2 * size); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Resize of a copy-on-write map: %v", err)
	}
	m.Close()

	// An invalid access, and access together with flags and prot.
	if _, err := MapFile(openTestFile(t, path, false), size, &Options{Access: 4}); !errors.Is(err, ErrInvalid) {
		t.Errorf("access 4: %v", err)
	}

}

func second[T any](_ T, err error) error { return err }

// CPython: test_trackfd_parameter (3.13).
func TestTrackFDParameter(t *testing.T) {
	path := writeFile(t, []byte("0123456789"))
	for _, track := range []bool{true, false} {
		f := openTestFile(t, path, false)
		m, err := MapFile(f, 0, &Options{NoTrackFD: !track})
		must(t, err)
		f.Close()
		if m.Len() != 10 {
			t.Errorf("track=%v: Len = %d", track, m.Len())
		}
		size, err := m.Size()
		if track && (size != 10 || err != nil) {
			t.Errorf("Size = %d, %v after the file was closed", size, err)
		}
		if !track && !errors.Is(err, ErrInvalid) {
			t.Errorf("Size with NoTrackFD: %d, %v", size, err)
		}
		err = m.Resize(20)
		if track && err != nil {
			t.Errorf("Resize after the file was closed: %v", err)
		}
		if !track && !errors.Is(err, ErrInvalid) {
			t.Errorf("Resize with NoTrackFD: %v", err)
		}
		if got, _ := m.At(5); got != '5' {
			t.Errorf("track=%v: At(5) = %q", track, got)
		}
		must(t, m.Close())
		must(t, os.Truncate(path, 10))
	}
}

// CPython: test_bad_file_desc and test_invalid_descriptor.
func TestBadFileDesc(t *testing.T) {
	if _, err := MapFile(nil, 10, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil file: %v", err)
	}
	f := openTestFile(t, writeFile(t, []byte("abc")), false)
	f.Close()
	if _, err := MapFile(f, 0, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("closed file: %v", err)
	}
}

// CPython: test_tougher_find (SF bug 515943: needles with NUL bytes).
func TestTougherFind(t *testing.T) {
	data := []byte("aabaac\x00deef\x00\x00aa\x00")
	m, _ := mapData(t, data, nil)
	n := len(data)
	for start := 0; start <= n; start++ {
		for finish := start; finish <= n; finish++ {
			sub := data[start:finish]
			if got, want := m.Find(sub), bytes.Index(data, sub); got != want {
				t.Errorf("Find(%q) = %d, want %d", sub, got, want)
			}
			if got := m.Find(append(bytes.Clone(sub), 'x')); got != -1 {
				t.Errorf("Find(%q+x) = %d, want -1", sub, got)
			}
		}
	}
}

// CPython: test_find_end.
func TestFindEnd(t *testing.T) {
	m, _ := mapData(t, []byte("one two ones"), nil)
	for _, c := range []struct {
		sub        string
		start, end int
		want       int
	}{
		{"one", 0, 12, 0}, {"ones", 0, 12, 8}, {"one", 0, -1, 0},
		{"one", 1, 12, 8}, {"one", 1, -1, 8}, {"one", 1, -2, -1},
		{"one", 1, -3, -1}, {"one", 1, -4, -1}, // CPython: test_find_does_not_access_beyond_buffer's cousins
	} {
		if got := m.FindIn([]byte(c.sub), c.start, c.end); got != c.want {
			t.Errorf("FindIn(%q, %d, %d) = %d, want %d", c.sub, c.start, c.end, got, c.want)
		}
	}
	if got := m.Find([]byte("one")); got != 0 {
		t.Errorf("Find(one) = %d", got)
	}
}

// CPython: test_rfind.
func TestRFind(t *testing.T) {
	m, _ := mapData(t, []byte("one two ones"), nil)
	for _, c := range []struct {
		sub        string
		start, end int
		want       int
	}{
		{"one", 0, 12, 8}, {"one ", 0, 12, 0}, {"one", 0, -1, 8},
		{"one", 0, -2, 0}, {"one", 1, -1, 8}, {"one", 1, -2, -1},
	} {
		if got := m.RFindIn([]byte(c.sub), c.start, c.end); got != c.want {
			t.Errorf("RFindIn(%q, %d, %d) = %d, want %d", c.sub, c.start, c.end, got, c.want)
		}
	}
	if got := m.RFind([]byte("one")); got != 8 {
		t.Errorf("RFind(one) = %d", got)
	}
}

// CPython: test_find_does_not_access_beyond_buffer: a search that ends
// exactly at the end of the last page must not touch the next one.
func TestFindDoesNotAccessBeyondBuffer(t *testing.T) {
	m, err := Anonymous(2*PageSize, nil)
	must(t, err)
	defer m.Close()
	for i := range 2 * PageSize {
		must(t, m.SetAt(i, 'a'))
	}
	if got := m.FindIn([]byte("aab"), 0, 2*PageSize); got != -1 {
		t.Errorf("FindIn = %d", got)
	}
	if got := m.RFindIn([]byte("baa"), 0, 2*PageSize); got != -1 {
		t.Errorf("RFindIn = %d", got)
	}
	if got := m.FindIn([]byte("a"), PageSize, 2*PageSize); got != PageSize {
		t.Errorf("FindIn from the second page = %d", got)
	}
}

// CPython: test_double_close.
func TestDoubleClose(t *testing.T) {
	path := writeFile(t, bytes.Repeat([]byte("a"), 1<<16))
	m, err := MapFile(openTestFile(t, path, true), 1<<16, &Options{Access: AccessRead})
	must(t, err)
	must(t, m.Close())
	must(t, m.Close())
	if !m.Closed() {
		t.Error("Closed() = false after Close")
	}
}

// CPython: test_entire_file.
func TestEntireFile(t *testing.T) {
	want := bytes.Repeat([]byte("m"), 1<<16)
	m, _ := mapData(t, want, nil)
	if m.Len() != 1<<16 {
		t.Errorf("Len = %d, want the file size", m.Len())
	}
	got := make([]byte, 1<<16)
	if n, err := m.Read(got); n != 1<<16 || err != nil || !bytes.Equal(got, want) {
		t.Errorf("Read = %d, %v", n, err)
	}
}

// CPython: test_length_0_offset (issue #10916).
func TestLength0Offset(t *testing.T) {
	path := writeFile(t, bytes.Repeat([]byte("m"), 2*65536))
	m, err := MapFile(openTestFile(t, path, true), 0, &Options{Offset: 65536, Access: AccessRead})
	must(t, err)
	defer m.Close()
	if m.Len() != 65536 {
		t.Errorf("Len = %d", m.Len())
	}
	if _, err := m.At(80000); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("At(80000): %v", err)
	}
	if size, _ := m.Size(); size != 2*65536 {
		t.Errorf("Size = %d, want the whole file", size)
	}
}

// CPython: test_length_0_large_offset (issue #10959).
func TestLength0LargeOffset(t *testing.T) {
	path := writeFile(t, bytes.Repeat([]byte("m"), 115699))
	_, err := MapFile(openTestFile(t, path, false), 0, &Options{Offset: 2147418112})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("offset past the end: %v", err)
	}
}

// CPython: test_move.
func TestMove(t *testing.T) {
	m, _ := mapData(t, []byte("ABCDEabcde"), nil)
	must(t, m.Move(5, 0, 5))
	if got := m.Slice(0, 10); string(got) != "ABCDEABCDE" {
		t.Errorf("after Move: %q", got)
	}

	// Every overlap.
	const data = "0123456789"
	for dest := range len(data) {
		for src := range len(data) {
			for count := range len(data) - max(dest, src) {
				want := data[:dest] + data[src:src+count] + data[dest+count:]
				a, err := Anonymous(len(data), nil)
				must(t, err)
				must(t, a.SetSlice(0, len(data), []byte(data)))
				must(t, a.Move(dest, src, count))
				if got := a.Slice(0, len(data)); string(got) != want {
					t.Errorf("Move(%d, %d, %d) = %q, want %q", dest, src, count, got, want)
				}
				a.Close()
			}
		}
	}

	// Issue 5387: bad arguments never crash.
	a, err := Anonymous(100, nil)
	must(t, err)
	defer a.Close()
	offsets := []int{-100, -1, 0, 1, 100}
	for _, s := range offsets {
		for _, d := range offsets {
			for _, n := range offsets {
				err := a.Move(d, s, n)
				ok := s >= 0 && d >= 0 && n >= 0 && s+n <= 100 && d+n <= 100
				if ok != (err == nil) || err != nil && !errors.Is(err, ErrOutOfRange) {
					t.Errorf("Move(%d, %d, %d): %v", d, s, n, err)
				}
			}
		}
	}
	one, err := Anonymous(1, nil)
	must(t, err)
	defer one.Close()
	for _, c := range [][3]int{{0, 0, 2}, {1, 0, 1}, {0, 1, 1}} {
		if err := one.Move(c[0], c[1], c[2]); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Move%v on one byte: %v", c, err)
		}
	}
	must(t, one.Move(0, 0, 1))
	must(t, one.Move(0, 0, 0))
}

// CPython: test_anonymous.
func TestAnonymous(t *testing.T) {
	m, err := Anonymous(PageSize, nil)
	must(t, err)
	defer m.Close()
	for i := range PageSize {
		if b, _ := m.At(i); b != 0 {
			t.Fatalf("anonymous memory holds %d at %d", b, i)
		}
	}
	for i := range PageSize {
		must(t, m.SetAt(i, byte(i)))
		if b, _ := m.At(i); b != byte(i) {
			t.Fatalf("At(%d) = %d after SetAt", i, b)
		}
	}
}

// CPython: test_read_all.
func TestReadAll(t *testing.T) {
	data := make([]byte, 16)
	for i := range data {
		data[i] = byte(i)
	}
	m, _ := mapData(t, data, nil)
	got, err := io.ReadAll(m)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadAll = %x, %v", got, err)
	}
	m.Seek(8, io.SeekStart)
	if got, _ := io.ReadAll(m); !bytes.Equal(got, data[8:]) {
		t.Errorf("ReadAll from 8 = %x", got)
	}
	if n, err := m.Read(make([]byte, 4)); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v", n, err)
	}
	// Python's read(n) with n past the end returns what is left.
	m.Seek(14, io.SeekStart)
	p := make([]byte, 10)
	if n, err := m.Read(p); n != 2 || err != nil || !bytes.Equal(p[:2], data[14:]) {
		t.Errorf("Read past the end = %d, %v", n, err)
	}
}

// CPython: test_offset.
func TestOffset(t *testing.T) {
	half := AllocationGranularity
	data := make([]byte, 2*half)
	copy(data[half:], "foo")
	path := writeFile(t, data)
	f := openTestFile(t, path, false)

	if _, err := MapFile(f, half, &Options{Offset: -2}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative offset: %v", err)
	}
	if _, err := MapFile(f, half, &Options{Offset: int64(half) + 1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unaligned offset: %v", err)
	}
	m, err := MapFile(f, half, &Options{Offset: int64(half)})
	must(t, err)
	if got := m.Slice(0, 3); string(got) != "foo" {
		t.Errorf("Slice(0, 3) = %q", got)
	}
	must(t, m.SetSlice(0, 3, []byte("bar")))
	seek(t, m, 0, io.SeekEnd, int64(half))
	if size, _ := m.Size(); size != int64(2*half) {
		t.Errorf("Size = %d", size)
	}
	must(t, m.Resize(half+512))
	if m.Len() != half+512 {
		t.Errorf("Len = %d after Resize", m.Len())
	}
	if size, _ := m.Size(); size != int64(2*half+512) {
		t.Errorf("Size = %d after Resize", size)
	}
	if got := m.Slice(0, 3); string(got) != "bar" {
		t.Errorf("Slice(0, 3) = %q after Resize", got)
	}
	must(t, m.Close())
	got := fileBytes(t, path)
	if len(got) != 2*half+512 || string(got[half:half+3]) != "bar" {
		t.Errorf("file of %d bytes holds %q at the offset", len(got), got[half:half+3])
	}
}

// CPython: test_io_methods.
func TestIOMethods(t *testing.T) {
	m, path := mapData(t, make([]byte, 6), nil)
	for i, c := range []byte("abcdef") {
		must(t, m.WriteByte(c))
		if m.Tell() != i+1 {
			t.Errorf("Tell = %d after %d WriteByte", m.Tell(), i+1)
		}
	}
	if err := m.WriteByte('x'); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("WriteByte at the end: %v", err)
	}
	m.Seek(0, io.SeekStart)
	for i, c := range []byte("abcdef") {
		if b, err := m.ReadByte(); b != c || err != nil || m.Tell() != i+1 {
			t.Errorf("ReadByte = %q, %v", b, err)
		}
	}
	if _, err := m.ReadByte(); err != io.EOF {
		t.Errorf("ReadByte at the end: %v", err)
	}
	m.Seek(0, io.SeekStart)
	if n, err := m.Write([]byte("foo")); n != 3 || err != nil || m.Tell() != 3 {
		t.Errorf("Write = %d, %v", n, err)
	}
	m.Seek(0, io.SeekStart)
	if got := m.Slice(0, 6); string(got) != "foodef" {
		t.Errorf("bytes %q", got)
	}
	if n, err := m.Write([]byte("barbazfoo")); n != 0 || !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Write past the end = %d, %v", n, err)
	}
	if got := m.Slice(0, 6); string(got) != "foodef" || m.Tell() != 0 {
		t.Errorf("a failed Write changed the map to %q, position %d", got, m.Tell())
	}
	must(t, m.Close())
	if got := fileBytes(t, path); string(got) != "foodef" {
		t.Errorf("file holds %q", got)
	}
}

// CPython: test_non_ascii_byte.
func TestNonASCIIByte(t *testing.T) {
	for _, b := range []byte{128, 200, 255} {
		m, err := Anonymous(1, nil)
		must(t, err)
		must(t, m.WriteByte(b))
		if got, _ := m.At(0); got != b {
			t.Errorf("At(0) = %d, want %d", got, b)
		}
		m.Seek(0, io.SeekStart)
		if got, _ := m.ReadByte(); got != b {
			t.Errorf("ReadByte = %d, want %d", got, b)
		}
		m.Close()
	}
}

// CPython: test_write_returning_the_number_of_bytes_written.
func TestWriteReturningTheNumberOfBytesWritten(t *testing.T) {
	m, err := Anonymous(20, nil)
	must(t, err)
	defer m.Close()
	for _, s := range []string{"", "x", "yz", "python"} {
		if n, err := m.Write([]byte(s)); n != len(s) || err != nil {
			t.Errorf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if n, err := m.WriteString("abc"); n != 3 || err != nil {
		t.Errorf("WriteString = %d, %v", n, err)
	}
}

// CPython: test_resize_past_pos.
func TestResizePastPos(t *testing.T) {
	m, err := Anonymous(8192, nil)
	must(t, err)
	defer m.Close()
	m.Read(make([]byte, 5000))
	must(t, m.Resize(4096))
	if m.Tell() != 5000 {
		t.Errorf("Tell = %d, want the position kept", m.Tell())
	}
	if n, err := m.Read(make([]byte, 14)); n != 0 || err != io.EOF {
		t.Errorf("Read past the end = %d, %v", n, err)
	}
	if line, err := m.ReadLine(); line != nil || err != io.EOF {
		t.Errorf("ReadLine past the end = %q, %v", line, err)
	}
	if _, err := m.ReadByte(); err != io.EOF {
		t.Errorf("ReadByte past the end: %v", err)
	}
	if _, err := m.Write([]byte("abc")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Write past the end: %v", err)
	}
	if _, err := m.Write(nil); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("empty Write past the end: %v", err)
	}
	if err := m.WriteByte('a'); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("WriteByte past the end: %v", err)
	}
	if got := m.Find(nil); got != 4096 {
		t.Errorf("Find(empty) past the end = %d, want Len", got)
	}
}

// CPython: test_flush_return_value.
func TestFlushReturnValue(t *testing.T) {
	m, path := mapData(t, make([]byte, 2*PageSize), nil)
	must(t, m.SetSlice(0, 5, []byte("hello")))
	must(t, m.Flush())
	must(t, m.FlushRange(0, 5))
	must(t, m.FlushRange(PageSize, PageSize))
	must(t, m.FlushRange(0, 0))
	if got := fileBytes(t, path)[:5]; string(got) != "hello" {
		t.Errorf("file holds %q after Flush", got)
	}
	if err := m.FlushRange(1, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("FlushRange at an unaligned offset: %v", err)
	}
	if err := m.FlushRange(0, 2*PageSize+1); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("FlushRange past the end: %v", err)
	}
}

// CPython: test_madvise.
func TestMadvise(t *testing.T) {
	size := 2 * PageSize
	m, err := Anonymous(size, nil)
	must(t, err)
	defer m.Close()
	if err := m.MadviseRange(MADV_NORMAL, -1, size); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("start -1: %v", err)
	}
	if err := m.MadviseRange(MADV_NORMAL, size, size); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("start at the end: %v", err)
	}
	if err := m.MadviseRange(MADV_NORMAL, 0, -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative length: %v", err)
	}
	must(t, m.MadviseRange(MADV_NORMAL, PageSize, size)) // cut at the end
	must(t, m.MadviseRange(MADV_NORMAL, 0, 2))
	must(t, m.MadviseRange(MADV_NORMAL, 0, 0))
	must(t, m.Madvise(MADV_NORMAL))
	if err := m.MadviseRange(MADV_NORMAL, 1, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("unaligned start: %v", err)
	}
}

// CPython: test_empty_file.
func TestEmptyFile(t *testing.T) {
	path := writeFile(t, nil)
	f := openTestFile(t, path, false)
	if _, err := MapFile(f, 0, nil); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("MapFile of an empty file: %v", err)
	}
	if _, err := MapFile(f, 0, &Options{Access: AccessRead}); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("MapFile of an empty file, read-only: %v", err)
	}
	if _, err := Open(path, AccessRead); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("Open of an empty file: %v", err)
	}
}

// CPython: test_resize_up_anonymous_mapping and
// test_resize_up_private_anonymous_mapping (3.13). CPython refuses to grow a
// shared anonymous map on Linux, whose new pages would fault; this package
// maps anew and copies instead.
func TestResizeUpAnonymousMapping(t *testing.T) {
	for _, access := range []Access{AccessDefault, AccessWrite, AccessCopy} {
		m, err := Anonymous(PageSize, &Options{Access: access})
		if access == AccessWrite {
			must(t, err) // AccessWrite is MAP_SHARED, as the default
		}
		must(t, err)
		data := bytes.Repeat([]byte("x"), PageSize)
		must(t, m.SetSlice(0, PageSize, data))
		err = m.Resize(3 * PageSize)
		if access == AccessCopy {
			if !errors.Is(err, ErrReadOnly) {
				t.Errorf("Resize of a copy-on-write anonymous map: %v", err)
			}
			m.Close()
			continue
		}
		must(t, err)
		if got := m.Slice(0, PageSize); !bytes.Equal(got, data) {
			t.Errorf("%v: the old bytes changed", access)
		}
		if got := m.Slice(PageSize, 3*PageSize); !bytes.Equal(got, make([]byte, 2*PageSize)) {
			t.Errorf("%v: the new bytes are not zero", access)
		}
		must(t, m.SetAt(3*PageSize-1, 'y')) // the new pages are there
		must(t, m.Resize(PageSize/2))
		if got := m.Slice(0, PageSize); !bytes.Equal(got, data[:PageSize/2]) {
			t.Errorf("%v: shrinking lost the bytes it kept", access)
		}
		m.Close()
	}

}

// CPython: test_context_manager and test_mmap_closed_by_int_scenarios: every
// method of a closed map fails cleanly.
func TestClosedMap(t *testing.T) {
	m, _ := mapData(t, []byte("hello\nworld\n"), nil)
	must(t, m.Close())
	errs := map[string]error{
		"At":           second(m.At(0)),
		"SetAt":        m.SetAt(0, 1),
		"SetSlice":     m.SetSlice(0, 1, []byte("x")),
		"ReadAt":       second(m.ReadAt(make([]byte, 1), 0)),
		"WriteAt":      second(m.WriteAt([]byte("x"), 0)),
		"Read":         second(m.Read(make([]byte, 1))),
		"ReadByte":     second(m.ReadByte()),
		"ReadLine":     second(m.ReadLine()),
		"Write":        second(m.Write([]byte("x"))),
		"WriteString":  second(m.WriteString("x")),
		"WriteByte":    m.WriteByte('x'),
		"Seek":         second(m.Seek(0, io.SeekStart)),
		"Flush":        m.Flush(),
		"FlushRange":   m.FlushRange(0, 1),
		"Madvise":      m.Madvise(MADV_NORMAL),
		"MadviseRange": m.MadviseRange(MADV_NORMAL, 0, 1),
		"Move":         m.Move(0, 1, 1),
		"Resize":       m.Resize(10),
		"Size":         second(m.Size()),
		"WriteTo":      second(m.WriteTo(io.Discard)),
	}
	for name, err := range errs {
		if !errors.Is(err, ErrClosed) || !errors.Is(err, os.ErrClosed) {
			t.Errorf("%s on a closed map: %v", name, err)
		}
	}
	for name, got := range map[string]int{
		"Find": m.Find([]byte("o")), "FindIn": m.FindIn([]byte("o"), 0, 5),
		"RFind": m.RFind([]byte("o")), "RFindIn": m.RFindIn([]byte("o"), 0, 5),
	} {
		if got != -1 {
			t.Errorf("%s on a closed map = %d", name, got)
		}
	}
	if m.Slice(0, 3) != nil || m.Bytes() != nil || m.Len() != 0 || m.Tell() != 0 {
		t.Error("Slice, Bytes, Len or Tell of a closed map is not empty")
	}
	for range m.Lines() {
		t.Error("Lines of a closed map yields")
	}
}
