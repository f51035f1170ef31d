package mmap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// testName returns a name no other test uses.
func testName() string { return fmt.Sprintf("mmap-test-%d-%08x", os.Getpid(), rand.Uint32()) }

func TestNamedCreateOpenRemove(t *testing.T) {
	name := testName()
	a, err := CreateNamed(name, 3*PageSize+5, nil)
	must(t, err)
	defer a.Close()
	if a.Name() != name || a.Len() != 3*PageSize+5 {
		t.Fatalf("Name %q Len %d", a.Name(), a.Len())
	}
	must(t, second(a.WriteAt([]byte("hello"), int64(PageSize))))

	if _, err := CreateNamed(name, PageSize, nil); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("CreateNamed of a taken name: %v, want fs.ErrExist", err)
	}
	b, err := OpenNamed(name, nil)
	must(t, err)
	defer b.Close()
	// Windows and macOS may round a section up to whole pages.
	if exact := runtime.GOOS != "windows" && runtime.GOOS != "darwin"; b.Len() < 3*PageSize+5 ||
		exact && b.Len() != 3*PageSize+5 || b.Len() > 4*PageSize {
		t.Fatalf("OpenNamed Len %d, want %d", b.Len(), 3*PageSize+5)
	}
	got := make([]byte, 5)
	must(t, second(b.ReadAt(got, int64(PageSize))))
	if string(got) != "hello" {
		t.Fatalf("OpenNamed reads %q, want hello", got)
	}
	// The same memory, both ways.
	must(t, b.SetAt(0, 'x'))
	if c, _ := a.At(0); c != 'x' {
		t.Fatalf("a write through one map is %q through the other", c)
	}

	must(t, RemoveNamed(name))
	if runtime.GOOS == "windows" {
		// The name lasts while a section of it is open.
		c, err := OpenNamed(name, nil)
		must(t, err)
		c.Close()
		a.Close()
		b.Close()
	}
	if _, err := OpenNamed(name, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenNamed after RemoveNamed: %v, want fs.ErrNotExist", err)
	}
	if err := RemoveNamed(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("RemoveNamed twice: %v, want fs.ErrNotExist", err)
	}
	if runtime.GOOS != "windows" {
		// The maps keep the memory the name had.
		if c, _ := b.At(PageSize); c != 'h' {
			t.Fatalf("a map lost its memory when its name was removed: %q", c)
		}
		// A new CreateNamed makes new memory.
		n, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
		must(t, err)
		defer n.Close()
		if c, _ := n.At(0); c != 0 {
			t.Fatalf("the name's new memory starts with %q", c)
		}
	}
}

func TestNamedBadInput(t *testing.T) {
	name := testName()
	for _, bad := range []string{"", "a/b", "/a", `a\b`, "a\x00b", ".", "..", strings.Repeat("n", MaxNameLen+1)} {
		if _, err := CreateNamed(bad, PageSize, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("CreateNamed(%q): %v, want ErrInvalid", bad, err)
		}
		if _, err := OpenNamed(bad, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("OpenNamed(%q): %v, want ErrInvalid", bad, err)
		}
		if err := RemoveNamed(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("RemoveNamed(%q): %v, want ErrInvalid", bad, err)
		}
	}
	for _, c := range []struct {
		size int
		opts *Options
	}{
		{0, nil}, {-1, nil},
		{PageSize, &Options{Offset: int64(AllocationGranularity)}},
		{PageSize, &Options{TagName: "x"}},
		{PageSize, &Options{NoTrackFD: true}},
		{PageSize, &Options{Mode: fs.ModeDir | 0o600}},
		{PageSize, &Options{Access: 9}},
		{PageSize, &Options{Reserve: -1}},
	} {
		if _, err := CreateNamed(name, c.size, c.opts); !errors.Is(err, ErrInvalid) {
			t.Errorf("CreateNamed(%d, %+v): %v, want ErrInvalid", c.size, c.opts, err)
		}
	}
	if _, err := OpenNamed(name, &Options{RemoveOnClose: true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("OpenNamed with RemoveOnClose: %v, want ErrInvalid", err)
	}
	// Nothing was left behind.
	if _, err := OpenNamed(name, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after bad CreateNamed calls, OpenNamed: %v, want fs.ErrNotExist", err)
	}
	// The longest name is good.
	long := name + strings.Repeat("n", MaxNameLen-len(name))
	m, err := CreateNamed(long, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	must(t, m.Close())
}

func TestNamedRemoveOnClose(t *testing.T) {
	name := testName()
	a, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	b, err := OpenNamed(name, nil)
	must(t, err)
	must(t, a.Close())
	if runtime.GOOS == "windows" { // the name lasts while b has it
		must(t, b.Close())
	} else {
		defer b.Close()
	}
	if _, err := OpenNamed(name, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenNamed after the creator's Close: %v, want fs.ErrNotExist", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	// A name removed and made anew by someone else is theirs: Close
	// leaves it.
	a, err = CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	must(t, RemoveNamed(name))
	c, err := CreateNamed(name, PageSize, nil)
	must(t, err)
	defer c.Close()
	must(t, a.Close())
	d, err := OpenNamed(name, nil)
	if err != nil {
		t.Fatalf("the creator's Close removed a name it no longer had: %v", err)
	}
	d.Close()
	must(t, RemoveNamed(name))
}

func TestNamedAccess(t *testing.T) {
	name := testName()
	a, err := CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
	must(t, err)
	defer a.Close()
	must(t, a.SetAt(7, 'a'))
	r, err := OpenNamed(name, &Options{Access: AccessRead})
	must(t, err)
	defer r.Close()
	if err := r.SetAt(7, 'r'); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("SetAt on a read-only OpenNamed: %v, want ErrReadOnly", err)
	}
	c, err := OpenNamed(name, &Options{Access: AccessCopy})
	must(t, err)
	defer c.Close()
	must(t, c.SetAt(7, 'c'))
	if got, _ := a.At(7); got != 'a' {
		t.Fatalf("a write to an AccessCopy map reached the memory: %q", got)
	}
	if got, _ := r.At(7); got != 'a' {
		t.Fatalf("the read-only map reads %q, want a", got)
	}
}

// TestNamedUnrelatedProcesses: two processes that are not parent and
// child (two children of this one, which hands them nothing but the name)
// attach to one named map; each adds 1 to the same counter 10 million
// times. The total is exact, and the creator's Close removes the name.
func TestNamedUnrelatedProcesses(t *testing.T) {
	const adds = 5_000_000 // per goroutine: 10 million per process
	if role := os.Getenv("MMAP_CHILD"); strings.HasPrefix(role, "named-") {
		namedChild(t, role, os.Getenv("MMAP_NAME"), adds)
		return
	}
	noChild(t)
	name := testName()
	a := startNamed(t, "named-create", name)
	a.expect("created")
	b := startNamed(t, "named-open", name)
	b.expect("opened")
	a.say("go")
	b.say("go")
	a.expect("added")
	b.expect("added")
	b.say("check")
	if got, want := b.expect("count"), fmt.Sprint(4*adds); got != want {
		t.Errorf("the counter is %s, want %s", got, want)
	}
	a.say("close")
	b.say("close")
	a.wait()
	b.wait()
	if _, err := OpenNamed(name, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after both closed, OpenNamed: %v, want fs.ErrNotExist", err)
	}
}

// namedChild is a process of TestNamedUnrelatedProcesses.
func namedChild(t *testing.T, role, name string, adds int) {
	in := bufio.NewScanner(os.Stdin)
	await := func(s string) {
		for in.Scan() {
			if in.Text() == s {
				return
			}
		}
		t.Fatalf("%s: no %q from the test", role, s)
	}
	var m *Map
	var err error
	if role == "named-create" {
		m, err = CreateNamed(name, PageSize, &Options{RemoveOnClose: true})
		must(t, err)
		fmt.Println("named: created")
	} else {
		m, err = OpenNamed(name, nil)
		must(t, err)
		fmt.Println("named: opened")
	}
	await("go")
	addMany(t, m, adds)
	fmt.Println("named: added")
	if role == "named-open" {
		await("check")
		c, err := ViewOf[atomic.Uint64](m, 64)
		must(t, err)
		fmt.Println("named: count", c.Load())
	}
	await("close")
	must(t, m.Close())
}

// namedProc is a child process of TestNamedUnrelatedProcesses.
type namedProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	role string
}

func startNamed(t *testing.T, role, name string) *namedProc {
	t.Helper()
	cmd := helper(t.Name(), role)
	cmd.Env = append(cmd.Env, "MMAP_NAME="+name)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	must(t, err)
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	p := &namedProc{t: t, cmd: cmd, in: in, out: bufio.NewScanner(out), role: role}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	return p
}

func (p *namedProc) say(s string) { fmt.Fprintln(p.in, s) }

// expect waits for the child's line "named: what[ rest]" and returns rest.
func (p *namedProc) expect(what string) string {
	p.t.Helper()
	for p.out.Scan() {
		if rest, ok := strings.CutPrefix(p.out.Text(), "named: "+what); ok {
			return strings.TrimSpace(rest)
		}
	}
	p.t.Fatalf("%s: ended without %q", p.role, what)
	return ""
}

func (p *namedProc) wait() {
	p.t.Helper()
	p.in.Close()
	for p.out.Scan() { // the rest, so that Wait has it all
	}
	if err := p.cmd.Wait(); err != nil {
		p.t.Fatalf("%s: %v", p.role, err)
	}
}
