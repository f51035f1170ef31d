package mmap

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// remap resizes mem with mremap(2), which keeps the pages and moves the map
// only when it must. A shared anonymous map is the exception: mremap grows
// it, but the shared memory object behind it keeps its size and the new
// pages fault on touch, so it is mapped anew and copied.
func remap(mem *memory, c *config, newSize int) error {
	if c.anon && !c.private() && newSize > len(mem.data) {
		return remapByCopy(mem, c, newSize)
	}
	old := mem.data
	p, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(old)), uintptr(len(old)), nil, uintptr(newSize),
		unix.MREMAP_MAYMOVE)
	if err != nil {
		return osError("resize", err)
	}
	mem.data = unsafe.Slice((*byte)(p), newSize)
	return nil
}

// fullSync is needed on macOS only.
func fullSync(int) error { return nil }
