//go:build unix

package mmap

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Address space reserved for growth (Options.Reserve): inaccessible
// anonymous memory (PROT_NONE), which the mapping takes over from the front
// with MAP_FIXED as it grows and gives back as it shrinks. Nothing else can
// be mapped inside it, so MAP_FIXED never replaces another mapping.

// reserveSpan reserves size bytes of address space, aligned to unit.
func reserveSpan(size, unit int) ([]byte, error) {
	extra := 0
	if unit > pageSize {
		extra = unit // room to align a map of huge pages
	}
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(size+extra), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, err
	}
	if extra > 0 {
		start := uintptr(p)
		aligned := (start + uintptr(unit) - 1) &^ (uintptr(unit) - 1)
		front, back := aligned-start, start+uintptr(extra)-aligned
		if front > 0 {
			unix.MunmapPtr(p, front)
		}
		p = unsafe.Add(p, front)
		if back > 0 {
			unix.MunmapPtr(unsafe.Add(p, size), back)
		}
	}
	return unsafe.Slice((*byte)(p), size), nil
}

// mapReserved maps length bytes of fd (ignored for anonymous memory) at the
// front of a new reservation of max(cfg.reserve, length) bytes.
func mapReserved(fd int, cfg *config, length int) (data, span []byte, err error) {
	size := roundUp(max(cfg.reserve, length), cfg.unit)
	if span, err = reserveSpan(size, cfg.unit); err != nil {
		return nil, nil, err
	}
	if data, err = mapMemory(fd, cfg, length, span); err != nil {
		unix.Munmap(span)
		return nil, nil, err
	}
	return data, span, nil
}

// mapFixed maps the bytes of fd from cfg.offset+at over b, a range of the
// map's own reservation, with the map's flags and protection.
func mapFixed(fd int, cfg *config, b []byte, at int) error {
	if cfg.anon {
		fd = -1
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	_, err := unix.MmapPtr(fd, cfg.offset+int64(at), p, uintptr(len(b)), cfg.prot, cfg.flags|unix.MAP_FIXED)
	return err
}

// growReserved grows mem's mapping to mapped bytes inside its reservation,
// mapping only the new pages: the old ones, and the reads in them, are
// untouched.
func growReserved(mem *memory, c *config, newSize, mapped int) error {
	old := cap(mem.data)
	if err := mapFixed(mem.fd, c, mem.span[old:mapped], old); err != nil {
		// Back to the reservation: a failed MAP_FIXED may have unmapped it.
		inaccessible(mem.span[old:mapped])
		return err
	}
	mem.data = mem.span[:newSize:mapped]
	return nil
}
