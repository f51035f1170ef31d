package mmap

import (
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"
)

// header is a record as a file format would lay it out.
type header struct {
	Magic   [4]byte
	Version uint32
	Count   uint64
	Ratio   float64
	Flags   [3]bool
}

func TestViewOfReadsAndWritesTheMap(t *testing.T) {
	data := make([]byte, 2*PageSize)
	copy(data[8:], "MMAP")
	binary.NativeEndian.PutUint32(data[12:], 7)
	binary.NativeEndian.PutUint64(data[16:], 1<<40)
	m, path := mapData(t, data, nil)
	h, err := ViewOf[header](m, 8)
	must(t, err)
	if string(h.Magic[:]) != "MMAP" || h.Version != 7 || h.Count != 1<<40 {
		t.Fatalf("ViewOf read %+v", *h)
	}
	h.Count++ // writes the map, and through it the file
	must(t, m.Flush())
	if got := binary.NativeEndian.Uint64(fileBytes(t, path)[16:]); got != 1<<40+1 {
		t.Fatalf("the file holds %d after the write through the view", got)
	}
	s, err := SliceOf[uint32](m, PageSize, PageSize/4)
	must(t, err)
	s[len(s)-1] = 0xdeadbeef
	if b := m.Slice(2*PageSize-4, 2*PageSize); binary.NativeEndian.Uint32(b) != 0xdeadbeef {
		t.Fatalf("the last uint32 of the slice is not the map's last 4 bytes: % x", b)
	}
}

func TestTypedViewsRefuse(t *testing.T) {
	m, _ := mapData(t, make([]byte, PageSize), nil)
	type withString struct {
		N int
		S string
	}
	type deep struct {
		A [2]struct{ P *int }
	}
	for name, err := range map[string]error{
		"*int":       second(ViewOf[*int](m, 0)),
		"string":     second(ViewOf[string](m, 0)),
		"[]byte":     second(ViewOf[[]byte](m, 0)),
		"map":        second(ViewOf[map[int]int](m, 0)),
		"chan":       second(ViewOf[chan int](m, 0)),
		"func":       second(ViewOf[func()](m, 0)),
		"any":        second(ViewOf[any](m, 0)),
		"struct":     second(ViewOf[withString](m, 0)),
		"deep":       second(ViewOf[deep](m, 0)),
		"[3]string":  second(SliceOf[[3]string](m, 0, 1)),
		"struct{}":   second(ViewOf[struct{}](m, 0)),
		"misaligned": second(ViewOf[atomic.Uint64](m, 4)),
		"odd":        second(SliceOf[uint16](m, 1, 1)),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	for name, err := range map[string]error{
		"negative offset": second(ViewOf[uint64](m, -8)),
		"past the end":    second(ViewOf[uint64](m, PageSize-4)),
		"at the end":      second(ViewOf[byte](m, PageSize)),
		"too many":        second(SliceOf[uint64](m, 0, PageSize/8+1)),
		"negative count":  second(SliceOf[uint64](m, 0, -1)),
		"overflow":        second(SliceOf[uint64](m, 8, int(^uint(0)>>1))),
	} {
		if !errors.Is(err, ErrOutOfRange) {
			t.Errorf("%s: %v, want ErrOutOfRange", name, err)
		}
	}
	if s, err := SliceOf[uint64](m, PageSize, 0); err != nil || len(s) != 0 {
		t.Errorf("0 values at the end: %v, %v", s, err)
	}
	if p, err := ViewOf[[4096]byte](m, 0); err != nil || unsafe.Pointer(p) != unsafe.Pointer(&m.Bytes()[0]) {
		t.Errorf("the first 4096 bytes as one array: %p, %v", p, err)
	}
	m.Close()
	if _, err := ViewOf[uint64](m, 0); !errors.Is(err, ErrClosed) {
		t.Errorf("ViewOf after Close: %v, want ErrClosed", err)
	}
	if _, err := ViewOf[uint64]((*Map)(nil), 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("ViewOf of a nil Map: %v, want ErrInvalid", err)
	}
}

// TestAtomicCounterInSharedMemory: two processes, two goroutines in each,
// add 1 to the same atomic.Uint64 in Shared memory, 10 million times per
// process; the total is exact.
func TestAtomicCounterInSharedMemory(t *testing.T) {
	const adds = 5_000_000 // per goroutine: 10 million per process
	role := os.Getenv("MMAP_CHILD")
	if role == "counter" || role == "counter-windows" {
		var m *Map
		var err error
		if role == "counter-windows" {
			m, err = Anonymous(PageSize, &Options{TagName: os.Getenv("MMAP_TAG")})
		} else {
			m, err = MapFile(os.NewFile(3, "shared"), 0, nil)
		}
		must(t, err)
		addMany(t, m, adds)
		return
	}
	noChild(t)
	m, err := Shared(PageSize)
	must(t, err)
	defer m.Close()
	cmd := helper(t.Name(), "counter")
	if runtime.GOOS == "windows" {
		cmd = helper(t.Name(), "counter-windows")
		cmd.Env = append(cmd.Env, "MMAP_TAG="+m.TagName())
	} else {
		f, err := m.File()
		must(t, err)
		defer f.Close()
		cmd.ExtraFiles = []*os.File{f}
	}
	must(t, cmd.Start())
	addMany(t, m, adds)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	c, err := ViewOf[atomic.Uint64](m, 64)
	must(t, err)
	if got := c.Load(); got != 4*adds {
		t.Fatalf("the counter is %d, want %d", got, 4*adds)
	}
}

// addMany adds 1 to the counter at offset 64 of m n times from each of two
// goroutines.
func addMany(t *testing.T, m *Map, n int) {
	c, err := ViewOf[atomic.Uint64](m, 64)
	must(t, err)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				c.Add(1)
			}
		}()
	}
	wg.Wait()
}
