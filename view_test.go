package mmap

import (
	"bytes"
	"errors"
	"hash/crc32"
	"os"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestView: f sees the mapped bytes and its error comes back.
func TestView(t *testing.T) {
	data := []byte("id=17 name=ada\nid=42 name=grace\n")
	m, _ := mapData(t, data, &Options{Access: AccessRead})
	var sum uint32
	must(t, m.View(func(b []byte) error {
		sum = crc32.ChecksumIEEE(b)
		return nil
	}))
	if sum != crc32.ChecksumIEEE(data) {
		t.Errorf("CRC over View %#x, of the data %#x", sum, crc32.ChecksumIEEE(data))
	}
	stop := errors.New("stop")
	if err := m.View(func([]byte) error { return stop }); err != stop {
		t.Errorf("View returned %v, want f's error", err)
	}
}

// TestViewHoldsOffClose: Close waits for f, so b stays valid while f runs.
func TestViewHoldsOffClose(t *testing.T) {
	m, _ := mapData(t, bytes.Repeat([]byte("x"), 4*PageSize), nil)
	inside, closed := make(chan struct{}), make(chan error)
	var got byte
	go func() {
		m.View(func(b []byte) error {
			close(inside)
			time.Sleep(50 * time.Millisecond) // Close is waiting now
			got = b[len(b)-1]
			return nil
		})
	}()
	<-inside
	go func() { closed <- m.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while View's f ran", err)
	case <-time.After(20 * time.Millisecond):
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if got != 'x' {
		t.Errorf("f read %q", got)
	}
	if err := m.View(func([]byte) error { t.Error("f ran on a closed map"); return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("View after Close: %v", err)
	}
}

// TestViewFault: a file truncated under the map is ErrFault from View, even
// when the fault is inside the standard library (bytes.Count, regexp), and
// the process lives.
func TestViewFault(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to truncate a mapped file (ERROR_USER_MAPPED_FILE): the fault cannot happen")
	}
	underQemu(t, "reports memory faults without their address, which the guard needs")
	re := regexp.MustCompile(`y+z`)
	for name, f := range map[string]func(b []byte) error{
		"bytes.Count": func(b []byte) error { bytes.Count(b, []byte("y")); return nil },
		"regexp":      func(b []byte) error { re.Match(b); return nil },
		"crc32":       func(b []byte) error { crc32.ChecksumIEEE(b); return nil },
	} {
		t.Run(name, func(t *testing.T) {
			m, path := mapData(t, bytes.Repeat([]byte("y"), 16*PageSize), &Options{Access: AccessRead})
			must(t, os.Truncate(path, int64(PageSize)))
			if err := m.View(f); !errors.Is(err, ErrFault) {
				t.Fatalf("View over a truncated file: %v, want ErrFault", err)
			}
			if b, err := m.At(0); b != 'y' || err != nil {
				t.Errorf("At(0) after the fault = %q, %v", b, err)
			}
		})
	}
}

// TestViewConcurrent: Views run alongside each other and other reads.
func TestViewConcurrent(t *testing.T) {
	m, _ := mapData(t, bytes.Repeat([]byte("ab"), 8*PageSize), nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if err := m.View(func(b []byte) error {
					if n := bytes.Count(b, []byte("a")); n != 8*PageSize {
						t.Errorf("%d a's", n)
					}
					return nil
				}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}
