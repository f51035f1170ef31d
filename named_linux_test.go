package mmap

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
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

// asUser runs a shell command as another user (nobody, 65534), which only
// root can start: the test skips elsewhere, saying why.
func asUser(t *testing.T, script string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("starts a process as another user (uid 65534), which needs root; CI runs as root")
	}
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("as uid 65534: %v\n%s", err, out)
	}
}

// Another user squats a name with memory anyone may write: OpenNamed
// refuses it (fs.ErrPermission, naming the owner), CreateNamed still finds
// the name taken, RemoveNamed does not remove it, and only
// Options.SharedAcrossUsers opens it.
func TestNamedSquatRefused(t *testing.T) {
	name := testName()
	asUser(t, "umask 0; printf EVIL > /dev/shm/"+name)
	defer os.Remove("/dev/shm/" + name)
	m, err := OpenNamed(name, nil)
	if err == nil {
		m.Close()
		t.Fatalf("OpenNamed of another user's memory succeeded: it reads %q", m.Bytes()[:4])
	}
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "owned by uid 65534") {
		t.Errorf("OpenNamed of another user's memory: %v, want fs.ErrPermission naming the owner", err)
	}
	if _, err := CreateNamed(name, PageSize, nil); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateNamed of the squatted name: %v, want fs.ErrExist", err)
	}
	if err := RemoveNamed(name); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("RemoveNamed of another user's memory: %v, want fs.ErrPermission", err)
	}
	if _, err := os.Stat("/dev/shm/" + name); err != nil {
		t.Errorf("the squatter's memory is gone after a refused RemoveNamed: %v", err)
	}
	m, err = OpenNamed(name, &Options{SharedAcrossUsers: true})
	must(t, err)
	defer m.Close()
	if string(m.Bytes()[:4]) != "EVIL" {
		t.Errorf("OpenNamed with SharedAcrossUsers reads %q", m.Bytes()[:4])
	}
}

// Memory of the caller's own user that others may write (Mode 0666) is
// refused too, unless the caller asks for sharing across users; a group
// without write (0640) is not.
func TestNamedWritableByOthersRefused(t *testing.T) {
	for _, c := range []struct {
		mode fs.FileMode
		ok   bool
	}{{0o600, true}, {0o640, true}, {0o660, false}, {0o606, false}} {
		name := testName()
		a, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
		must(t, err)
		must(t, os.Chmod("/dev/shm/"+name, c.mode)) // past the umask
		b, err := OpenNamed(name, nil)
		if c.ok != (err == nil) || !c.ok && !errors.Is(err, fs.ErrPermission) {
			t.Errorf("OpenNamed of memory with mode %#o: %v; want it opened: %v", c.mode, err, c.ok)
		}
		if err == nil {
			b.Close()
		}
		b, err = OpenNamed(name, &Options{SharedAcrossUsers: true})
		if err != nil {
			t.Errorf("OpenNamed with SharedAcrossUsers of memory with mode %#o: %v", c.mode, err)
		} else {
			b.Close()
		}
		must(t, a.Close())
	}
}
