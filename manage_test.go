package mmap

import (
	"errors"
	"os"
	"strings"
	"testing"
)

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
	snapshot := m.Bytes()
	if os.Getenv("MMAP_TEST_QEMU") == "" {
		if err := guarded("test", func() { snapshot[0] = 'x' }); !errors.Is(err, ErrFault) {
			t.Errorf("a write through Bytes after Protect(AccessRead): %v", err)
		}
	}
	must(t, m.Protect(AccessWrite))
	must(t, m.SetAt(0, 'P'))
	snapshot[1] = 'R'
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

func TestAllocateBadInput(t *testing.T) {
	m, _ := mapData(t, make([]byte, 3*PageSize), nil)
	for _, c := range [][2]int{{-1, 1}, {0, -1}, {0, 3*PageSize + 1}, {3 * PageSize, 1}, {1, int(^uint(0) >> 1)}} {
		if err := m.Allocate(c[0], c[1]); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Allocate%v: %v, want ErrOutOfRange", c, err)
		}
	}
	ro, _ := mapData(t, make([]byte, PageSize), &Options{Access: AccessRead})
	if err := ro.Allocate(0, 1); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Allocate on a read-only map: %v, want ErrReadOnly", err)
	}
	nt, _ := mapData(t, make([]byte, PageSize), &Options{NoTrackFD: true})
	if err := nt.Allocate(0, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("Allocate on a NoTrackFD map: %v, want ErrInvalid", err)
	}
	a, err := Anonymous(PageSize, nil)
	must(t, err)
	defer a.Close()
	must(t, a.Allocate(0, PageSize))
}
