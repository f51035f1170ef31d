package mmap

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"testing"
)

// The names are glibc's: Python's multiprocessing.shared_memory, which
// calls shm_open, finds the memory of CreateNamed, and OpenNamed finds
// Python's.
func TestNamedIsShmOpens(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	name := testName()
	m, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	defer m.Close()
	must(t, second(m.WriteAt([]byte("from go"), 0)))
	script := `
import sys
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1])
resource_tracker.unregister(m._name, "shared_memory")
sys.stdout.write(bytes(m.buf[:7]).decode())
m.buf[7:16] = b" and back"
p = shared_memory.SharedMemory(name=sys.argv[1] + "p", create=True, size=4096)
resource_tracker.unregister(p._name, "shared_memory")
p.buf[:9] = b"from py!!"
`
	out, err := exec.Command(py, "-c", script, name).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	if string(out) != "from go" {
		t.Fatalf("python read %q from the map, want %q", out, "from go")
	}
	got := make([]byte, 16)
	must(t, second(m.ReadAt(got, 0)))
	if string(got) != "from go and back" {
		t.Fatalf("the map reads %q after python wrote to it", got)
	}
	p, err := OpenNamed(name+"p", nil)
	must(t, err)
	defer p.Close()
	must(t, RemoveNamed(name+"p"))
	if p.Len() != 4096 || string(p.Bytes()[:9]) != "from py!!" {
		t.Fatalf("OpenNamed of python's memory: %d bytes, %q", p.Len(), p.Bytes()[:9])
	}
}

func TestNamedMode(t *testing.T) {
	for _, c := range []struct {
		mode, want fs.FileMode
	}{{0, 0o600}, {0o640, 0o640}} {
		name := testName()
		m, err := CreateNamed(name, PageSize, &Options{Mode: c.mode, RemoveOnClose: true})
		must(t, err)
		fi, err := os.Stat("/dev/shm/" + name)
		must(t, err)
		if fi.Mode() != c.want || fi.Size() != int64(PageSize) {
			t.Errorf("Mode %v: the file is %v, %d bytes; want %v, %d", c.mode, fi.Mode(), fi.Size(), c.want, PageSize)
		}
		must(t, m.Close())
		if _, err := os.Stat("/dev/shm/" + name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("after Close with RemoveOnClose: %v", err)
		}
	}
	// No temporary files are left.
	ents, err := os.ReadDir("/dev/shm")
	must(t, err)
	for _, e := range ents {
		if len(e.Name()) > 9 && e.Name()[:9] == ".mmap-new" {
			t.Errorf("left behind: /dev/shm/%s", e.Name())
		}
	}
}

// Resize changes the size of the memory, which OpenNamed then maps whole.
func TestNamedResize(t *testing.T) {
	name := testName()
	m, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	defer m.Close()
	must(t, m.Resize(3*PageSize))
	must(t, m.SetAt(3*PageSize-1, 'z'))
	o, err := OpenNamed(name, nil)
	must(t, err)
	defer o.Close()
	if c, _ := o.At(3*PageSize - 1); o.Len() != 3*PageSize || c != 'z' {
		t.Fatalf("OpenNamed after Resize: %d bytes, last %q", o.Len(), c)
	}
}
