package mmap

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
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
