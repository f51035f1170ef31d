package growth

import (
	"os"
	"unsafe"

	"github.com/mmapio/mmap"
)

// Map is the file mapped by this library with a reservation of the final
// size (Options.Reserve): Grow is Resize, then every new page written with
// pwrite, as bbolt writes; reads take no lock.
type Map struct {
	m   *mmap.Map
	f   *os.File
	buf [Page]byte
}

// NewMap maps the file at path, of from bytes, with room for reserve.
func NewMap(path string, from, reserve int) (*Map, error) {
	f, err := create(path, from)
	if err != nil {
		return nil, err
	}
	m, err := mmap.MapFile(f, 0, &mmap.Options{Reserve: reserve})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Map{m: m, f: f}, nil
}

func (t *Map) ReadAt(p []byte, off int64) error {
	_, err := t.m.ReadAt(p, off)
	return err
}

func (t *Map) Grow(size int) error {
	old := t.m.Len()
	if err := t.m.Resize(size); err != nil {
		return err
	}
	return writePages(t.f, t.buf[:], old, size)
}

func (t *Map) Base() uintptr {
	var p uintptr
	t.m.View(func(b []byte) error {
		p = uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		return nil
	})
	return p
}

func (t *Map) Close() error {
	t.m.Close()
	return t.f.Close()
}

// writePages writes the pages of f from old to size with pwrite, each
// filled by Fill, through buf.
func writePages(f *os.File, buf []byte, old, size int) error {
	for off := int64(old); off < int64(size); off += Page {
		Fill(buf, off)
		if _, err := f.WriteAt(buf, off); err != nil {
			return err
		}
	}
	return nil
}

// create makes the file at path with size bytes, every page filled.
func create(path string, size int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	page := make([]byte, Page)
	for off := int64(0); off < int64(size); off += Page {
		Fill(page, off)
		if _, err := f.WriteAt(page, off); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// Floor is what no map can beat: the pages are read from a buffer in the
// heap, made at the final size at once, with no lock and no mapping; Grow
// truncates and writes the file as the others do, and copies each new page
// into the buffer. A read's latency here is the machine's alone (the
// scheduler, the kernel's writeback on the same cores, the garbage
// collector), so that the others' can be told from it.
type Floor struct {
	heap []byte
	f    *os.File
	buf  [Page]byte
}

// NewFloor makes the file at path, of from bytes, and a buffer of reserve.
func NewFloor(path string, from, reserve int) (*Floor, error) {
	f, err := create(path, from)
	if err != nil {
		return nil, err
	}
	t := &Floor{heap: make([]byte, reserve), f: f}
	for off := int64(0); off < int64(from); off += Page {
		Fill(t.heap[off:off+Page], off)
	}
	return t, nil
}

func (t *Floor) ReadAt(p []byte, off int64) error {
	copy(p, t.heap[off:])
	return nil
}

func (t *Floor) Grow(size int) error {
	st, err := t.f.Stat()
	if err != nil {
		return err
	}
	old := int(st.Size())
	if err := t.f.Truncate(int64(size)); err != nil {
		return err
	}
	if err := writePages(t.f, t.buf[:], old, size); err != nil {
		return err
	}
	for off := int64(old); off < int64(size); off += Page {
		Fill(t.heap[off:off+Page], off)
	}
	return nil
}

func (t *Floor) Base() uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(t.heap))) }

func (t *Floor) Close() error { return t.f.Close() }
