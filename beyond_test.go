package mmap

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestSharedWithChild is the Go form of Python's fork example: the parent
// writes to Shared memory, a child process maps the same memory, reads the
// message and answers, and the parent reads the answer. On Unix the child
// gets the descriptor through ExtraFiles; on Windows, the section's name.
func TestSharedWithChild(t *testing.T) {
	noChild(t)
	m, err := Shared(PageSize)
	must(t, err)
	defer m.Close()
	_, err = m.WriteString("ping from the parent")
	must(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSharedChild$")
	cmd.Env = append(os.Environ(), "MMAP_TEST_CHILD=shared")
	if runtime.GOOS == "windows" {
		cmd.Env = append(cmd.Env, "MMAP_TEST_TAGNAME="+m.TagName())
	} else {
		f, err := m.File()
		must(t, err)
		defer f.Close()
		cmd.ExtraFiles = []*os.File{f} // descriptor 3 in the child
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if got := m.Slice(100, 100+len("pong from the child")); string(got) != "pong from the child" {
		t.Errorf("the parent reads %q at 100", got)
	}
}

// TestSharedChild is the child of TestSharedWithChild; it does nothing when
// run by itself.
func TestSharedChild(t *testing.T) {
	if os.Getenv("MMAP_TEST_CHILD") != "shared" {
		t.Skip("the child process of TestSharedWithChild")
	}
	var m *Map
	var err error
	if name := os.Getenv("MMAP_TEST_TAGNAME"); name != "" {
		m, err = Anonymous(PageSize, &Options{TagName: name})
	} else {
		m, err = MapFile(os.NewFile(3, "shared"), 0, nil)
	}
	must(t, err)
	defer m.Close()
	if got := m.Slice(0, len("ping from the parent")); string(got) != "ping from the parent" {
		t.Fatalf("the child reads %q", got)
	}
	must(t, m.SetSlice(100, 100+len("pong from the child"), []byte("pong from the child")))
}

func TestSharedBadLength(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := Shared(n); !errors.Is(err, ErrInvalid) {
			t.Errorf("Shared(%d): %v", n, err)
		}
	}
}

// TestSharedResize: Shared memory grows and shrinks as a file map does.
func TestSharedResize(t *testing.T) {
	m, err := Shared(PageSize)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(0, 's'))
	must(t, m.Resize(3*PageSize))
	must(t, m.SetAt(3*PageSize-1, 'e'))
	if size, err := m.Size(); size != int64(3*PageSize) || err != nil {
		t.Errorf("Size = %d, %v", size, err)
	}
	if b, _ := m.At(0); b != 's' {
		t.Errorf("At(0) = %q after Resize", b)
	}
}

func TestFile(t *testing.T) {
	m, path := mapData(t, []byte("file data"), nil)
	f, err := m.File()
	must(t, err)
	defer f.Close()
	got, err := io.ReadAll(io.NewSectionReader(f, 0, 100))
	if err != nil || string(got) != "file data" {
		t.Errorf("reading the File gives %q, %v", got, err)
	}
	must(t, f.Close())
	if _, err := m.At(0); err != nil { // the map's own descriptor is untouched
		t.Errorf("At after closing the File: %v", err)
	}
	if size, err := m.Size(); size != 9 || err != nil {
		t.Errorf("Size after closing the File: %d, %v", size, err)
	}

	a, err := Anonymous(10, nil)
	must(t, err)
	defer a.Close()
	if _, err := a.File(); !errors.Is(err, ErrInvalid) {
		t.Errorf("File of an anonymous map: %v", err)
	}
	n, err := MapFile(openTestFile(t, path, false), 0, &Options{NoTrackFD: true})
	must(t, err)
	defer n.Close()
	if _, err := n.File(); !errors.Is(err, ErrInvalid) {
		t.Errorf("File of a NoTrackFD map: %v", err)
	}
	n.Close()
	if _, err := n.File(); !errors.Is(err, ErrClosed) {
		t.Errorf("File of a closed map: %v", err)
	}
}

func TestFlushAsync(t *testing.T) {
	m, path := mapData(t, make([]byte, PageSize), nil)
	must(t, m.SetSlice(0, 5, []byte("async")))
	must(t, m.FlushAsync())
	if got := fileBytes(t, path)[:5]; string(got) != "async" {
		t.Errorf("file holds %q", got)
	}
	r, _ := mapData(t, make([]byte, PageSize), &Options{Access: AccessRead})
	must(t, r.FlushAsync())
	r.Close()
	if err := r.FlushAsync(); !errors.Is(err, ErrClosed) {
		t.Errorf("FlushAsync of a closed map: %v", err)
	}
}

func TestLock(t *testing.T) {
	m, err := Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	if err := m.Lock(); err != nil {
		if !isAny(err, lockLimitErrors) || !strings.Contains(err.Error(), "RLIMIT_MEMLOCK") {
			t.Fatalf("Lock: %v", err)
		}
		t.Skipf("no memory may be locked here: %v", err)
	}
	if res, total, err := m.Resident(); !errors.Is(err, errors.ErrUnsupported) && (res != total || total != 4 || err != nil) {
		t.Errorf("locked map: %d of %d pages resident, %v", res, total, err)
	}
	must(t, m.Unlock())
	m.Close()
	if err := m.Lock(); !errors.Is(err, ErrClosed) {
		t.Errorf("Lock of a closed map: %v", err)
	}
}

func TestProtect(t *testing.T) {
	m, path := mapData(t, []byte("protected data"), nil)
	must(t, m.Protect(AccessRead))
	for name, err := range map[string]error{
		"SetAt":     m.SetAt(0, 'x'),
		"SetSlice":  m.SetSlice(0, 1, []byte("x")),
		"WriteAt":   second(m.WriteAt([]byte("x"), 0)),
		"Write":     second(m.Write([]byte("x"))),
		"WriteByte": m.WriteByte('x'),
		"Move":      m.Move(0, 1, 1),
		"Resize":    m.Resize(100),
	} {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s after Protect(AccessRead): %v", name, err)
		}
	}
	if b, err := m.At(0); b != 'p' || err != nil {
		t.Errorf("At after Protect(AccessRead) = %q, %v", b, err)
	}
	// The kernel enforces it too: a write through Bytes faults. (qemu-user
	// reports the fault without its address, which the guard needs.)
	view := m.Bytes()
	if os.Getenv("MMAP_TEST_QEMU") == "" {
		if err := guarded(func() { view[0] = 'x' }); !errors.Is(err, ErrFault) {
			t.Errorf("a write through Bytes after Protect(AccessRead): %v", err)
		}
	}
	must(t, m.Protect(AccessWrite))
	must(t, m.SetAt(0, 'P'))
	view[1] = 'R'
	must(t, m.Close())
	if got := fileBytes(t, path); string(got) != "PRotected data" {
		t.Errorf("file holds %q", got)
	}

	r, _ := mapData(t, []byte("read only"), &Options{Access: AccessRead})
	if err := r.Protect(AccessWrite); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Protect(AccessWrite) of an AccessRead map: %v", err)
	}
	for _, a := range []Access{AccessDefault, AccessCopy, 9} {
		if err := r.Protect(a); !errors.Is(err, ErrInvalid) {
			t.Errorf("Protect(%v): %v", a, err)
		}
	}
	c, _ := mapData(t, []byte("copy"), &Options{Access: AccessCopy})
	must(t, c.Protect(AccessRead))
	must(t, c.Protect(AccessWrite))
	must(t, c.SetAt(0, 'C'))
}

// TestHugePages: maps that ask for huge pages work as any other, whichever
// kind of huge page the system gives them.
func TestHugePages(t *testing.T) {
	const size = 4 << 20
	m, err := Anonymous(size, &Options{HugePages: true})
	must(t, err)
	defer m.Close()
	if m.Len() != size {
		t.Errorf("Len = %d", m.Len())
	}
	must(t, m.SetAt(size-1, 'h'))
	must(t, m.Resize(size+PageSize))
	if b, _ := m.At(size - 1); b != 'h' {
		t.Errorf("At(size-1) = %q after Resize", b)
	}
	must(t, m.SetAt(size+PageSize-1, 'i'))
	if got := m.Find([]byte("h")); got != size-1 {
		t.Errorf("Find = %d", got)
	}
}

func TestWriteTo(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1<<20) // larger than a chunk
	m, _ := mapData(t, data, nil)
	m.Seek(5, io.SeekStart)
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if n != int64(len(data)-5) || err != nil || !bytes.Equal(buf.Bytes(), data[5:]) {
		t.Errorf("WriteTo = %d, %v", n, err)
	}
	if m.Tell() != len(data) {
		t.Errorf("position %d after WriteTo", m.Tell())
	}
	if n, err := m.WriteTo(&buf); n != 0 || err != nil {
		t.Errorf("WriteTo at the end = %d, %v", n, err)
	}
	// A writer that takes part of a chunk: the position follows it.
	m.Seek(0, io.SeekStart)
	n, err = m.WriteTo(&limitedWriter{left: 7})
	if n != 7 || !errors.Is(err, io.ErrShortWrite) || m.Tell() != 7 {
		t.Errorf("WriteTo a short writer = %d, %v, position %d", n, err, m.Tell())
	}
}

type limitedWriter struct{ left int }

func (w *limitedWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.left)
	w.left -= n
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

func TestLines(t *testing.T) {
	m, _ := mapData(t, []byte("one\ntwo\n\nlast"), nil)
	var got []string
	for line := range m.Lines() {
		got = append(got, string(line))
	}
	if strings.Join(got, "|") != "one\n|two\n|\n|last" || m.Tell() != m.Len() {
		t.Errorf("Lines = %q, position %d", got, m.Tell())
	}
	m.Seek(0, io.SeekStart)
	for line := range m.Lines() {
		if string(line) == "two\n" {
			break
		}
	}
	if m.Tell() != 8 {
		t.Errorf("position %d after breaking at the second line, want 8", m.Tell())
	}
	if line, _ := m.ReadLine(); string(line) != "\n" {
		t.Errorf("ReadLine after the loop = %q", line)
	}
	for line := range m.Lines() {
		if cap(line) != len(line) {
			t.Errorf("a line of %d bytes has a capacity of %d: appending would write into the map", len(line), cap(line))
		}
	}
}

// TestLinesLoopBody: a loop body that seeks, resizes or closes the map.
func TestLinesLoopBody(t *testing.T) {
	m, err := Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	m.WriteString("a\nb\nc\nd\n")
	m.Seek(0, io.SeekStart)
	var got []string
	for line := range m.Lines() {
		if line[0] == 0 { // the zeros after the text
			break
		}
		got = append(got, string(line))
		if string(line) == "a\n" {
			m.Seek(4, io.SeekStart) // skip "b\n"
		}
		if string(line) == "c\n" {
			must(t, m.Resize(64*PageSize)) // the map may move
			m.SetSlice(6, 8, []byte("D\n"))
		}
		if len(got) > 10 {
			break
		}
	}
	if strings.Join(got, "") != "a\nc\nD\n" {
		t.Errorf("lines %.80q", got)
	}
	m.Seek(0, io.SeekStart)
	n := 0
	for range m.Lines() {
		n++
		m.Close()
	}
	if n != 1 {
		t.Errorf("%d lines after Close in the loop body", n)
	}
}
