//go:build unix

package mmap

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The Unix backend: mmap(2) and friends through x/sys/unix. The OS-specific
// halves (growInPlace, fullSync, …) are in mmap_linux.go and
// mmap_nomremap.go.

// noFD marks a memory with no descriptor: anonymous, or NoTrackFD.
const noFD = -1

// growsFile: on Unix a map never extends its file; a length past the end is
// an error, as in CPython.
const growsFile = false

// The advice of the library's own hints (hints.go).
const (
	adviceSequential = unix.MADV_SEQUENTIAL
	adviceNormal     = unix.MADV_NORMAL
)

func allocationGranularity() int { return os.Getpagesize() }

// resolveSys fills in the Unix flags and protection from the access mode,
// as CPython's new_mmap_object.
func resolveSys(op string, c *config, length int) error {
	const rw = unix.PROT_READ | unix.PROT_WRITE
	flags, prot := c.flags, c.prot
	if flags&(unix.MAP_SHARED|unix.MAP_PRIVATE) == 0 {
		flags |= unix.MAP_SHARED
	}
	if prot == 0 {
		prot = rw
	}
	if c.access != AccessDefault && (flags != unix.MAP_SHARED || prot != rw) {
		return errorf(ErrInvalid, op, "access %s excludes flags %#x and prot %#x", c.access, c.flags, c.prot)
	}
	switch c.access {
	case AccessRead:
		prot = unix.PROT_READ
	case AccessCopy:
		flags = unix.MAP_PRIVATE
	case AccessDefault:
		switch {
		case prot&rw == rw:
		case prot&unix.PROT_WRITE != 0:
			c.access = AccessWrite
		default:
			c.access = AccessRead
		}
	}
	if c.anon {
		flags |= unix.MAP_ANON
	}
	c.flags, c.prot = flags, prot
	if c.populate && !c.private() {
		c.flags |= populateFlag // the kernel reads the file ahead, once
	}
	if c.huge {
		hugePages(c, length)
	}
	return nil
}

// private reports whether the map's pages are its own rather than the
// file's or a shared memory object's.
func (c *config) private() bool {
	return c.flags&(unix.MAP_SHARED|unix.MAP_PRIVATE) == unix.MAP_PRIVATE
}

// sysMap maps length bytes of fd (ignored for anonymous memory) into mem.
func sysMap(op string, mem *memory, fd, length int, cfg *config) error {
	if !cfg.anon {
		fullSync(fd)
	}
	var data []byte
	var err error
	if cfg.reserve > 0 {
		data, mem.span, err = mapReserved(fd, cfg, length)
	} else {
		data, err = mapMemory(fd, cfg, length, nil)
	}
	if err != nil {
		return osError(op, err)
	}
	mem.data = data
	return nil
}

// mapMemory is mmap(2) of length bytes of fd (ignored for anonymous maps),
// at the front of span, a reservation of the map's own, or anywhere when
// span is nil. The slice has the map's length and, as capacity, the whole
// pages the kernel mapped.
func mapMemory(fd int, cfg *config, length int, span []byte) ([]byte, error) {
	if cfg.anon {
		fd = -1
	}
	mmap := func() (unsafe.Pointer, int, error) {
		mapped := roundUp(length, cfg.unit)
		if span == nil {
			p, err := unix.MmapPtr(fd, cfg.offset, nil, uintptr(mapped), cfg.prot, cfg.flags)
			return p, mapped, err
		}
		return unsafe.Pointer(unsafe.SliceData(span)), mapped, mapFixed(fd, cfg, span[:mapped], 0)
	}
	p, mapped, err := mmap()
	if err != nil && cfg.flags&hugeTLB != 0 {
		// The reserved huge pages ran out since hugePages counted them, or
		// the kernel (or an emulator) refuses them: take ordinary pages,
		// which sysAfterMap advises to be transparent huge pages.
		cfg.flags &^= hugeTLB
		cfg.unit = pageSize
		p, mapped, err = mmap()
	}
	if err != nil {
		return nil, err
	}
	data := unsafe.Slice((*byte)(p), mapped)[:length]
	sysAfterMap(data, cfg)
	return data, nil
}

// unmapMemory unmaps a slice from mapMemory, whole pages and all.
func unmapMemory(b []byte) error {
	return unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(cap(b)))
}

// sysUnmap unmaps mem's mapping, of which old is the snapshot that reads may
// still be in (nil when none can be).
func sysUnmap(mem *memory, old *snapshot) error {
	if mem.data == nil {
		return nil
	}
	b := mem.data[:cap(mem.data)]
	if mem.span != nil {
		b, mem.span = mem.span, nil
	}
	return sysRetire(mem, old, b)
}

// closeFD closes the tracked descriptor, if any.
func closeFD(mem *memory) error {
	if mem.fd == noFD {
		return nil
	}
	err := unix.Close(mem.fd)
	mem.fd = noFD
	return err
}

func closeRawFD(fd int) { unix.Close(fd) }

// openFile opens name for Open, read-only or read-write.
func openFile(name string, readOnly bool) (int, error) {
	mode := unix.O_RDWR
	if readOnly {
		mode = unix.O_RDONLY
	}
	for {
		fd, err := unix.Open(name, mode|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// readErr returns the error of reading the byte at off from fd, nil if it
// reads.
func readErr(fd int, off int64) error {
	var b [1]byte
	for {
		_, err := unix.Pread(fd, b[:], off)
		if err != unix.EINTR {
			return err
		}
	}
}

// statFD returns the size of the file behind fd and its type: 0 for a
// regular file, or one of the fs.Mode bits of the other types.
func statFD(fd int) (size int64, kind fs.FileMode, err error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, 0, err
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		kind = fs.ModeDir
	case unix.S_IFIFO:
		kind = fs.ModeNamedPipe
	case unix.S_IFSOCK:
		kind = fs.ModeSocket
	case unix.S_IFCHR:
		kind = fs.ModeDevice | fs.ModeCharDevice
	default:
		kind = fs.ModeDevice
	}
	return st.Size, kind, nil
}

// sysFlush writes b, a part of mem, back to the file and waits for it.
func sysFlush(mem *memory, b []byte) error {
	if err := unix.Msync(b, unix.MS_SYNC); err != nil {
		return err
	}
	if mem.fd != noFD {
		return fullSync(mem.fd)
	}
	return nil
}

// sysResize gives mem a length of newSize bytes and, for a file map, the file
// a size of offset+newSize, leaving both as they were when it fails. The
// file grows before the map and shrinks after it, so that the map never
// covers pages past the end of the file. It returns the pages of the old
// mapping that the new one does not use, for sysRetire once the new one is
// published.
func sysResize(mem *memory, c *config, newSize int) (stale []byte, err error) {
	const op = "resize"
	if c.anon {
		return remap(mem, c, newSize)
	}
	oldFile, _, err := statFD(mem.fd)
	if err != nil {
		return nil, osError(op, err)
	}
	newFile := c.offset + int64(newSize)
	// The file changes first when it grows and, as in CPython, even when it
	// keeps its size, so that the system judges the descriptor and the size
	// (EINVAL for a read-only descriptor, EFBIG past the largest file).
	grow := newFile >= oldFile
	if grow {
		if err := unix.Ftruncate(mem.fd, newFile); err == unix.EFBIG {
			return nil, fmt.Errorf("mmap: resize: new size %d passes the largest file the file system holds: %w",
				newSize, &invalidErrno{err})
		} else if err != nil {
			return nil, osError(op, err)
		}
		// The new bytes get their disk blocks now, so that a full disk is
		// this error rather than a fault when a page is first written.
		if newFile > oldFile && !c.sparse {
			if err := allocate(mem.fd, oldFile, newFile-oldFile); err != nil {
				unix.Ftruncate(mem.fd, oldFile)
				return nil, osError(op, err)
			}
		}
	}
	prev := mem.data
	stale, err = remap(mem, c, newSize)
	if err != nil {
		if grow {
			unix.Ftruncate(mem.fd, oldFile)
		}
		return nil, err
	}
	if !grow && newFile != oldFile {
		if err := unix.Ftruncate(mem.fd, newFile); err != nil {
			// Nothing saw the new mapping: back to the old one.
			if unsafe.SliceData(mem.data) != unsafe.SliceData(prev) {
				unmapMemory(mem.data)
			}
			mem.data = prev
			return nil, osError(op, err)
		}
	}
	return stale, nil
}

// remap gives mem's mapping newSize bytes and returns the pages it no longer
// uses. A shrink keeps the mapping where it is and drops the pages past the
// new end; growth takes more of the map's reservation (Options.Reserve),
// else extends the mapping in place where the system can (growInPlace),
// and otherwise maps anew (remapByCopy). Maps that copy (see copies) map
// anew when they outgrow their reservation.
func remap(mem *memory, c *config, newSize int) (stale []byte, err error) {
	if newSize > math.MaxInt-c.unit { // the page rounding would overflow
		return nil, errorf(ErrInvalid, "resize", "new size %d is too large to map", newSize)
	}
	old := mem.data[:cap(mem.data)]
	mapped := roundUp(newSize, c.unit)
	switch {
	case mem.span != nil && mapped <= len(mem.span):
		if mapped <= len(old) {
			mem.data = old[:newSize:mapped]
			return old[mapped:], nil
		}
		if err := growReserved(mem, c, newSize, mapped); err != nil {
			return nil, osError("resize", err)
		}
		return nil, nil
	case copies(c, newSize > len(mem.data)):
	case mapped <= len(old):
		mem.data = old[:newSize:mapped]
		return old[mapped:], nil
	default:
		err := growInPlace(old, mapped)
		if err == nil {
			mem.data = unsafe.Slice(unsafe.SliceData(old), mapped)[:newSize]
			return nil, nil
		}
		if err == unix.EINVAL { // the size itself (CPython's mremap says so too)
			return nil, osError("resize", err)
		}
	}
	return remapByCopy(mem, c, newSize)
}

// remapByCopy resizes mem by mapping anew, for systems without mremap and
// for memory that mremap cannot grow, and returns the old mapping. Pages of
// their own (private or anonymous maps) are copied over; shared file pages
// come back from the file.
func remapByCopy(mem *memory, c *config, newSize int) (stale []byte, err error) {
	data, err := mapMemory(mem.fd, c, newSize, nil)
	if err != nil {
		return nil, osError("resize", err)
	}
	if c.anon || c.private() {
		// The whole pages of the old map, as mremap keeps them: bytes that a
		// shrink hid in the last page come back when the map grows again.
		from, to := mem.data[:cap(mem.data)], data[:cap(data)]
		if err := guarded("resize", func() { copy(to, from) }); err != nil {
			unmapMemory(data)
			return nil, err
		}
	}
	stale = mem.data[:cap(mem.data)]
	if mem.span != nil { // past the reservation: it all goes
		stale, mem.span = mem.span, nil
	}
	mem.data = data
	return stale, nil
}

func sysFlushAsync(b []byte) error { return unix.Msync(b, unix.MS_ASYNC) }

func sysLock(b []byte) error { return unix.Mlock(b) }

func sysUnlock(b []byte) error { return unix.Munlock(b) }

// sysProtect gives b the map's protection, less PROT_WRITE when readOnly.
func sysProtect(b []byte, c *config, readOnly bool) error {
	prot := c.prot
	if readOnly {
		prot &^= unix.PROT_WRITE
	}
	return unix.Mprotect(b[:cap(b)], prot)
}

// badAddress reports EFAULT: the kernel met a fault in memory that a
// system call was given.
func badAddress(err error) bool { return errors.Is(err, unix.EFAULT) }
