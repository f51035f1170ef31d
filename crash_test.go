package mmap

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The failure modes that kill programs using other mmap libraries: a file
// truncated by another process, Close racing with readers, leaks, and a
// process killed before it flushed.

// TestFaultFromChildProcess: another process truncates the file under the
// map; every read after it is ErrFault, and the process lives.
func TestFaultFromChildProcess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to truncate a file that a map holds (ERROR_USER_MAPPED_FILE): the fault cannot happen")
	}
	noChild(t)
	underQemu(t, "reports memory faults without their address, which the guard needs")
	if path := os.Getenv("MMAP_CHILD"); path != "" {
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		return
	}
	m, path := mapData(t, bytes.Repeat([]byte("x"), 8*PageSize), nil)
	if out, err := helper("TestFaultFromChildProcess", path).CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for i := 0; i < 8*PageSize; i += PageSize {
		if _, err := m.ReadAt(make([]byte, 1), int64(i)); !errors.Is(err, ErrFault) {
			t.Errorf("ReadAt(%d) after the child truncated the file: %v", i, err)
		}
	}
	if got := m.Find([]byte("x")); got != -1 {
		t.Errorf("Find after the truncation = %d", got)
	}
	must(t, m.Close())
}

// TestCloseStress hammers maps from 8 goroutines with every concurrent-safe
// method for 2 seconds in all, closing each map while they run: every call
// completes or returns ErrClosed.
func TestCloseStress(t *testing.T) {
	d := 2 * time.Second
	if testing.Short() {
		d = 200 * time.Millisecond
	}
	var calls, rounds atomic.Int64
	for end := time.Now().Add(d); time.Now().Before(end); rounds.Add(1) {
		m, err := Anonymous(8*PageSize, nil)
		must(t, err)
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := make([]byte, 128)
				for i := 0; ; i++ {
					var err error
					off := (i * 97) % (7 * PageSize)
					switch (g + i) % 10 {
					case 0:
						_, err = m.ReadAt(p, int64(off))
					case 1:
						_, err = m.WriteAt(p, int64(off))
					case 2:
						_, err = m.At(off)
					case 3:
						err = m.SetAt(off, 1)
					case 4:
						if m.Slice(off, off+10) == nil {
							err = ErrClosed
						}
					case 5:
						if m.FindIn([]byte("zz"), off, -1) != -1 || m.RFindIn([]byte("zz"), 0, off) != -1 {
							err = errors.New("found an absent needle")
						}
					case 6:
						err = m.FlushRange(0, PageSize)
					case 7:
						err = m.Madvise(MADV_NORMAL)
					case 8:
						_, err = m.Size()
					case 9:
						if _, _, err = m.Resident(); errors.Is(err, errors.ErrUnsupported) {
							err = nil // Windows
						}
					}
					calls.Add(1)
					if errors.Is(err, ErrClosed) || m.Closed() {
						return
					}
					if err != nil {
						t.Errorf("a call racing with Close: %v", err)
						return
					}
				}
			}()
		}
		time.Sleep(2 * time.Millisecond)
		must(t, m.Close())
		wg.Wait()
	}
	t.Logf("%d maps closed under %d calls from 8 goroutines", rounds.Load(), calls.Load())
}

// TestNoLeaks: 10,000 Open/Close cycles leave the descriptors and mappings
// of the process where they were, and the file unmapped at once.
func TestNoLeaks(t *testing.T) {
	path := writeFile(t, []byte("no leaks here\n"))
	cycles := 10000
	if testing.Short() {
		cycles = 1000
	}
	settleRetired(t)
	fds, maps := countFDs(t), countMaps(t)
	for range cycles {
		m, err := Open(path, AccessRead)
		must(t, err)
		if _, err := m.ReadAt(make([]byte, 4), 0); err != nil {
			t.Fatal(err)
		}
		must(t, m.Close())
		f := openTestFile(t, path, true)
		m, err = MapFile(f, 0, &Options{Access: AccessRead})
		must(t, err)
		f.Close()
		must(t, m.Close())
	}
	// Fewer is no leak: an earlier test's file that a collection during the
	// cycles finalized.
	if got := countFDs(t); got > fds {
		t.Errorf("%d descriptors after %d cycles, %d before", got, cycles, fds)
	}
	if b, _ := os.ReadFile("/proc/self/maps"); bytes.Contains(b, []byte(path)) {
		t.Errorf("the file is still mapped after %d cycles", cycles)
	}
	// The maps that were read are unmapped after a collection (sysRetire).
	settleRetired(t)
	if got := countMaps(t); got > maps+2 && !raceEnabled { // the Go heap may grow by a mapping or two
		t.Errorf("%d mappings after %d cycles, %d before", got, cycles, maps)
	}
}

// TestKilledChildLosesNothing: a child writes through a shared map and is
// killed with SIGKILL before Close or Flush; every byte is in the file. The
// same after a Flush, and after a Resize that grew the file.
func TestKilledChildLosesNothing(t *testing.T) {
	noChild(t)
	if role := os.Getenv("MMAP_CHILD"); role != "" {
		killedChild(t, role)
		return
	}
	for _, role := range []string{"write", "flush", "resize"} {
		path := writeFile(t, make([]byte, 16*PageSize))
		cmd := helper("TestKilledChildLosesNothing", role+":"+path)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		ready := make([]byte, 5)
		if _, err := io.ReadFull(out, ready); err != nil || string(ready) != "ready" {
			cmd.Process.Kill()
			t.Fatalf("%s: the child said %q, %v", role, ready, err)
		}
		must(t, cmd.Process.Signal(syscall.SIGKILL))
		cmd.Wait()
		got := fileBytes(t, path)
		size := 16 * PageSize
		if role == "resize" {
			size = 32 * PageSize
		}
		if want := pattern(size); !bytes.Equal(got, want) {
			t.Errorf("%s: the file of %d bytes lost writes of the killed child (want %d bytes)", role, len(got), len(want))
		}
	}
}

// pattern is what the killed child writes: every byte known.
func pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + i/PageSize)
	}
	return p
}

func killedChild(t *testing.T, arg string) {
	role, path, _ := bytes.Cut([]byte(arg), []byte(":"))
	m, err := Open(string(path), AccessWrite)
	must(t, err)
	if string(role) == "resize" {
		must(t, m.Resize(32*PageSize))
	}
	must(t, m.SetSlice(0, m.Len(), pattern(m.Len())))
	if string(role) == "flush" {
		must(t, m.Flush())
	}
	os.Stdout.WriteString("ready")
	time.Sleep(time.Minute) // killed before this ends, without Close
}

// TestCopyNeverChangesFile: whatever is written to an AccessCopy map, the
// file keeps its bytes, through Flush and Close.
func TestCopyNeverChangesFile(t *testing.T) {
	orig := pattern(4 * PageSize)
	m, path := mapData(t, orig, &Options{Access: AccessCopy})
	must(t, m.SetSlice(0, m.Len(), bytes.Repeat([]byte("c"), m.Len())))
	must(t, m.Move(0, 100, 1000))
	m.WriteAt([]byte("copy"), 0)
	must(t, m.Flush())
	must(t, m.FlushAsync())
	if !bytes.Equal(fileBytes(t, path), orig) {
		t.Error("the file changed under a copy-on-write map")
	}
	must(t, m.Close())
	if !bytes.Equal(fileBytes(t, path), orig) {
		t.Error("the file changed after Close of a copy-on-write map")
	}
}

// TestZeroLengthAnonymous: CPython raises OSError(EINVAL); the error here is
// ErrInvalid and EINVAL both.
func TestZeroLengthAnonymous(t *testing.T) {
	_, err := Anonymous(0, nil)
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, syscall.EINVAL) {
		t.Errorf("Anonymous(0): %v", err)
	}
}
