package mmap

import (
	"errors"
	"io"
	"os"
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
	role := "fd" // the child maps descriptor 3
	var files []*os.File
	if runtime.GOOS == "windows" {
		role = "tag:" + m.TagName()
	} else {
		f, err := m.File()
		must(t, err)
		defer f.Close()
		files = append(files, f)
	}
	out, err := helper("TestSharedChild", role, files...).CombinedOutput()
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
	role := os.Getenv("MMAP_CHILD")
	if role == "" {
		t.Skip("the child process of TestSharedWithChild")
	}
	var m *Map
	var err error
	if name, ok := strings.CutPrefix(role, "tag:"); ok {
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
