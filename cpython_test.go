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
