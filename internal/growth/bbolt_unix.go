//go:build unix

package growth

import (
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Bolt is bbolt's way: a read-only mapping of the file, replaced under an
// RWMutex that every read holds (munmap, ftruncate, mmap), and pages
// written with pwrite.
type Bolt struct {
	mu   sync.RWMutex
	data []byte
	f    *os.File
	buf  [Page]byte
}

// NewBolt maps the file at path, of from bytes, as bbolt does.
func NewBolt(path string, from int) (*Bolt, error) {
	f, err := create(path, from)
	if err != nil {
		return nil, err
	}
	data, err := unix.Mmap(int(f.Fd()), 0, from, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Bolt{data: data, f: f}, nil
}

func (t *Bolt) ReadAt(p []byte, off int64) error {
	t.mu.RLock()
	copy(p, t.data[off:])
	t.mu.RUnlock()
	return nil
}

func (t *Bolt) Grow(size int) error {
	old := len(t.data)
	t.mu.Lock()
	err := t.remap(size)
	t.mu.Unlock()
	if err != nil {
		return err
	}
	return writePages(t.f, t.buf[:], old, size)
}

func (t *Bolt) remap(size int) error {
	if err := unix.Munmap(t.data); err != nil {
		return err
	}
	t.data = nil
	if err := t.f.Truncate(int64(size)); err != nil {
		return err
	}
	data, err := unix.Mmap(int(t.f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return err
	}
	t.data = data
	return nil
}

func (t *Bolt) Base() uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(t.data))) }

func (t *Bolt) Close() error {
	unix.Munmap(t.data)
	return t.f.Close()
}
