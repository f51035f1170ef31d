package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestFaultIsError truncates the file under a map and calls every method that
// touches the lost pages: each returns ErrFault (or degrades, for those
// without an error result) and the process lives on.
func TestFaultIsError(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to truncate a file that a map holds (ERROR_USER_MAPPED_FILE): the fault cannot happen")
	}
	underQemu(t, "reports memory faults without their address, which the guard needs")
	size := 4 * PageSize
	m, path := mapData(t, make([]byte, size), nil)
	must(t, os.Truncate(path, 0))
	p := make([]byte, 16)
	for name, err := range map[string]error{
		"At":          second(m.At(PageSize)),
		"SetAt":       m.SetAt(PageSize, 1),
		"SetSlice":    m.SetSlice(0, 3, []byte("abc")),
		"ReadAt":      second(m.ReadAt(p, 0)),
		"WriteAt":     second(m.WriteAt(p, 0)),
		"Read":        second(m.Read(p)),
		"ReadByte":    second(m.ReadByte()),
		"ReadLine":    second(m.ReadLine()),
		"Write":       second(m.Write(p)),
		"WriteString": second(m.WriteString("abc")),
		"WriteByte":   m.WriteByte(1),
		"Move":        m.Move(0, PageSize, 10),
		"WriteTo":     second(m.WriteTo(new(bytes.Buffer))),
	} {
		if !errors.Is(err, ErrFault) {
			t.Errorf("%s on a truncated file: %v, want ErrFault", name, err)
		}
		// The message names the operation: "mmap: read at: fault at …".
		if op := strings.TrimPrefix(err.Error(), "mmap: "); op == err.Error() || strings.HasPrefix(op, "fault at") {
			t.Errorf("%s: %q names no operation", name, err)
		}
	}
	for name, got := range map[string]int{
		"Find": m.Find([]byte("x")), "FindIn": m.FindIn([]byte("x"), 0, size),
		"RFind": m.RFind([]byte("x")), "RFindIn": m.RFindIn([]byte("x"), 0, size),
	} {
		if got != -1 {
			t.Errorf("%s on a truncated file = %d, want -1", name, got)
		}
	}
	if got := m.Slice(0, size); got != nil {
		t.Errorf("Slice on a truncated file = %d bytes, want nil", len(got))
	}
	for range m.Lines() {
		t.Error("Lines on a truncated file yields")
	}
	if m.Tell() != 0 {
		t.Errorf("position %d after faults", m.Tell())
	}
	// The map still works where the file is back, and closes cleanly.
	must(t, os.Truncate(path, int64(size)))
	if b, err := m.At(PageSize); b != 0 || err != nil {
		t.Errorf("At after the file grew back = %d, %v", b, err)
	}
	must(t, m.Close())
}

// TestFaultKeepsOtherPanics checks that the guard converts memory faults
// only: a panic of the caller's writer in WriteTo goes on.
func TestFaultKeepsOtherPanics(t *testing.T) {
	m, _ := mapData(t, []byte("abc"), nil)
	defer func() {
		if r := recover(); r != "writer" {
			t.Errorf("recovered %v, want the writer's panic", r)
		}
		if _, err := m.ReadAt(make([]byte, 1), 0); err != nil { // the lock was released
			t.Errorf("ReadAt after the panic: %v", err)
		}
	}()
	m.WriteTo(panicWriter{})
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("writer") }

// TestCloseRace closes maps while goroutines hammer them: every call either
// completes or returns ErrClosed, and nothing crashes.
func TestCloseRace(t *testing.T) {
	rounds := 50
	if testing.Short() {
		rounds = 10
	}
	for range rounds {
		m, err := Anonymous(16*PageSize, nil)
		must(t, err)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := make([]byte, 64)
				for i := 0; ; i++ {
					var err error
					switch (g + i) % 6 {
					case 0:
						_, err = m.ReadAt(p, int64(i%(15*PageSize)))
					case 1:
						_, err = m.WriteAt(p, int64(i%(15*PageSize)))
					case 2:
						_, err = m.At(i % (16 * PageSize))
					case 3:
						if m.FindIn([]byte("zz"), 0, -1) != -1 {
							err = errors.New("found a needle that is not there")
						} else if m.Closed() {
							err = ErrClosed
						}
					case 4:
						err = m.FlushRange(0, PageSize)
					case 5:
						err = m.MadviseRange(MADV_WILLNEED, 0, PageSize)
					}
					if errors.Is(err, ErrClosed) {
						return
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		time.Sleep(time.Millisecond)
		must(t, m.Close())
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("a call racing with Close: %v", err)
		}
	}
}

// TestResizeRace resizes a map while goroutines read it.
func TestResizeRace(t *testing.T) {
	m, err := Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(0, 'r'))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if b, err := m.At(0); b != 'r' || err != nil {
					t.Errorf("At(0) = %q, %v while resizing", b, err)
					return
				}
				if _, err := m.ReadAt(make([]byte, 8), int64(m.Len()-8)); err != nil && err != io.EOF {
					t.Errorf("ReadAt while resizing: %v", err)
					return
				}
			}
		}()
	}
	for i := range 200 {
		must(t, m.Resize((1+i%8)*PageSize))
	}
	close(stop)
	wg.Wait()
}

// TestCountsOnAFault calls every method that returns a count over a file cut
// short under the map, on each path (auto, the file's, the mapping's): a
// failed call returns only bytes really copied (p[:n] holds the file's
// bytes), an error wrapping ErrFault that says the file was truncated and
// does not wrap EIO, and a failed Read or Write leaves the position.
func TestCountsOnAFault(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to truncate a file that a map holds (ERROR_USER_MAPPED_FILE): the fault cannot happen")
	}
	underQemu(t, "reports memory faults without their address, which the guard needs")
	const size, valid = 4 << 20, 1<<20 + 100 // pages from valid's next page on fault
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i*7 + i>>12)
	}
	copyable := roundUp(valid, pageSize)
	truncated := append(bytes.Clone(want[:valid]), make([]byte, copyable-valid)...)
	type call struct {
		name string
		pos  int // the position before the call
		f    func(m *Map) (n int, got []byte, err error)
	}
	buf := func(n int) []byte { return make([]byte, n) }
	calls := []call{
		{"ReadAt 16 past the end", 0, func(m *Map) (int, []byte, error) { p := buf(16); n, err := m.ReadAt(p, 3<<20); return n, p, err }},
		{"ReadAt 2 MiB across the end", 0, func(m *Map) (int, []byte, error) { p := buf(2 << 20); n, err := m.ReadAt(p, 0); return n, p, err }},
		{"ReadAt 64 KiB across the end", 0, func(m *Map) (int, []byte, error) {
			p := buf(64 << 10)
			n, err := m.ReadAt(p, valid-1000)
			return n, append(make([]byte, valid-1000), p...), err
		}},
		{"Read 16 past the end", 3 << 20, func(m *Map) (int, []byte, error) { p := buf(16); n, err := m.Read(p); return n, p, err }},
		{"Read 2 MiB across the end", 0, func(m *Map) (int, []byte, error) { p := buf(2 << 20); n, err := m.Read(p); return n, p, err }},
		{"Write 16 past the end", 3 << 20, func(m *Map) (int, []byte, error) { n, err := m.Write(want[3<<20 : 3<<20+16]); return n, nil, err }},
		{"Write 2 MiB across the end", 0, func(m *Map) (int, []byte, error) { n, err := m.Write(want[:2<<20]); return n, nil, err }},
		{"WriteString across the end", 0, func(m *Map) (int, []byte, error) { n, err := m.WriteString(string(want[:2<<20])); return n, nil, err }},
		{"WriteAt 16 past the end", 0, func(m *Map) (int, []byte, error) {
			n, err := m.WriteAt(want[3<<20:3<<20+16], 3<<20)
			return n, nil, err
		}},
		{"WriteAt 2 MiB across the end", 0, func(m *Map) (int, []byte, error) { n, err := m.WriteAt(want[:2<<20], 0); return n, nil, err }},
		{"WriteTo a buffer", 0, func(m *Map) (int, []byte, error) {
			var b bytes.Buffer
			n, err := m.WriteTo(&b)
			return int(n), b.Bytes(), err
		}},
		{"WriteTo a file", 0, func(m *Map) (int, []byte, error) {
			f, err := os.Create(filepath.Join(t.TempDir(), "out"))
			must(t, err)
			defer f.Close()
			n, err := m.WriteTo(f)
			got, rerr := os.ReadFile(f.Name())
			must(t, rerr)
			if len(got) != int(n) {
				t.Errorf("WriteTo said %d bytes, the file has %d", n, len(got))
			}
			return int(n), got, err
		}},
	}
	for _, path := range []int{pathAuto, pathFile, pathMapping} {
		forcePath = path
		for _, c := range calls {
			m, file := mapData(t, want, nil)
			must(t, os.Truncate(file, valid))
			seek(t, m, int64(c.pos), io.SeekStart, int64(c.pos))
			n, got, err := c.f(m)
			name := fmt.Sprintf("path %d: %s", path, c.name)
			if !errors.Is(err, ErrFault) || errors.Is(err, syscall.EIO) || !strings.Contains(err.Error(), "truncated") {
				t.Errorf("%s: %v, want ErrFault saying the file was truncated, not EIO", name, err)
			}
			// The page that holds the file's end maps whole, zeros after the end.
			if n < 0 || n > max(0, copyable-c.pos) {
				t.Errorf("%s: n = %d, but only %d bytes from %d could be copied", name, n, max(0, copyable-c.pos), c.pos)
			} else if got != nil && n > 0 && !bytes.Equal(got[:n], truncated[c.pos:c.pos+n]) {
				t.Errorf("%s: n = %d, but those bytes are not the file's", name, n)
			}
			wantPos := c.pos
			if strings.HasPrefix(c.name, "WriteTo") {
				wantPos += n // WriteTo advances past what w took
			}
			if m.Tell() != wantPos {
				t.Errorf("%s: the position moved from %d to %d", name, c.pos, m.Tell())
			}
			m.Close()
		}
	}
	forcePath = pathAuto
}

// TestErrKeepsTheFirstFault: each method without an error result, over a
// file cut short, answers as Python's does and leaves the fault for Err;
// a map that met none says nil.
func TestErrKeepsTheFirstFault(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to truncate a file that a map holds (ERROR_USER_MAPPED_FILE): the fault cannot happen")
	}
	underQemu(t, "reports memory faults without their address, which the guard needs")
	size := 4 * PageSize
	for name, call := range map[string]func(m *Map) bool{
		"Find":    func(m *Map) bool { return m.Find([]byte("x")) == -1 },
		"FindIn":  func(m *Map) bool { return m.FindIn([]byte("x"), 0, size) == -1 },
		"RFind":   func(m *Map) bool { return m.RFind([]byte("x")) == -1 },
		"RFindIn": func(m *Map) bool { return m.RFindIn([]byte("x"), 0, size) == -1 },
		"Slice":   func(m *Map) bool { return m.Slice(0, size) == nil },
		"Lines": func(m *Map) bool {
			for range m.Lines() {
				return false
			}
			return true
		},
	} {
		m, path := mapData(t, bytes.Repeat([]byte("a"), size), nil)
		if m.Find([]byte("x")) != -1 || m.Err() != nil {
			t.Fatalf("%s: a search over readable memory set Err: %v", name, m.Err())
		}
		must(t, os.Truncate(path, 0))
		if !call(m) {
			t.Errorf("%s over a truncated file did not give Python's answer", name)
		}
		err := m.Err()
		if !errors.Is(err, ErrFault) || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("%s: Err() = %v, want the fault", name, err)
		}
		must(t, os.Truncate(path, int64(size)))
		m.Find([]byte("y"))
		if m.Err() != err {
			t.Errorf("%s: Err() changed to %v after a clean search; it keeps the first fault", name, m.Err())
		}
		must(t, m.Close())
		if m.Err() != err {
			t.Errorf("%s: Err() after Close = %v, want the fault still", name, m.Err())
		}
	}
	var nilMap *Map
	if nilMap.Err() != nil {
		t.Error("a nil Map's Err is not nil")
	}
}

// TestLinesErr: LinesErr yields what Lines yields, with nil errors, and
// ends with the fault that cut the lines short, or ErrClosed.
func TestLinesErr(t *testing.T) {
	text := []byte("one\ntwo\nthree")
	m, path := mapData(t, text, nil)
	var got []string
	for line, err := range m.LinesErr() {
		if err != nil {
			t.Fatalf("LinesErr over readable memory: %v", err)
		}
		got = append(got, string(line))
	}
	if strings.Join(got, "|") != "one\n|two\n|three" {
		t.Errorf("LinesErr yields %q", got)
	}
	var nilMap *Map
	for line, err := range nilMap.LinesErr() {
		if line != nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("LinesErr of a nil Map yields %q, %v", line, err)
		}
	}
	if runtime.GOOS == "windows" || os.Getenv("MMAP_TEST_QEMU") != "" {
		return // no truncation under a map (Windows), no fault addresses (qemu)
	}
	seek(t, m, 0, io.SeekStart, 0)
	must(t, os.Truncate(path, 0))
	var last error
	n := 0
	for line, err := range m.LinesErr() {
		n++
		if line != nil {
			t.Errorf("LinesErr over a truncated file yields %q", line)
		}
		last = err
	}
	if n != 1 || !errors.Is(last, ErrFault) {
		t.Errorf("LinesErr over a truncated file: %d yields, the last error %v; want one, ErrFault", n, last)
	}
	must(t, m.Close())
	for _, err := range m.LinesErr() {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("LinesErr of a closed Map: %v, want ErrClosed", err)
		}
	}
}
