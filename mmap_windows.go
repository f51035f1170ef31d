package mmap

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The Windows backend: a file mapping object (a section) and a view of it,
// as CPython's mmap on Windows. The descriptor of the portable code is a
// HANDLE; the section's handle is memory.section.

// noFD marks a memory with no handle: anonymous, or NoTrackFD.
const noFD = -1

// The advice of the library's own hints (hints.go): Windows takes none.
const (
	adviceSequential = MADV_SEQUENTIAL
	adviceNormal     = MADV_NORMAL
)

// growsFile: on Windows a map longer than its file extends the file, as
// CreateFileMapping does (and CPython with it).
const growsFile = true

// systemInfo is SYSTEM_INFO, which x/sys/windows does not declare.
type systemInfo struct {
	processorArchitecture     uint16
	reserved                  uint16
	pageSize                  uint32
	minimumApplicationAddress uintptr
	maximumApplicationAddress uintptr
	activeProcessorMask       uintptr
	numberOfProcessors        uint32
	processorType             uint32
	allocationGranularity     uint32
	processorLevel            uint16
	processorRevision         uint16
}

func allocationGranularity() int {
	var si systemInfo
	procGetSystemInfo.Call(uintptr(unsafe.Pointer(&si)))
	if si.allocationGranularity == 0 {
		return 64 << 10
	}
	return int(si.allocationGranularity)
}

// resolveSys turns the access mode into the section's protection (in
// c.prot) and the view's access (in c.flags), as CPython on Windows. Flags
// and Prot are Unix's and must be zero.
func resolveSys(op string, c *config, _ int) error {
	if c.flags != 0 || c.prot != 0 {
		return errorf(ErrInvalid, op, "flags %#x and prot %#x are Unix options: give Access on Windows", c.flags, c.prot)
	}
	switch c.access {
	case AccessRead:
		c.prot, c.flags = windows.PAGE_READONLY, windows.FILE_MAP_READ
	case AccessCopy:
		c.prot, c.flags = windows.PAGE_WRITECOPY, windows.FILE_MAP_COPY
	default:
		c.prot, c.flags = windows.PAGE_READWRITE, windows.FILE_MAP_WRITE
	}
	return nil
}

// sysMap maps length bytes of fd (ignored for anonymous memory) into mem.
func sysMap(op string, mem *memory, fd, length int, cfg *config) error {
	h := windows.InvalidHandle
	if !cfg.anon {
		h = windows.Handle(fd)
	}
	if cfg.reserve > 0 {
		span, err := reserveSpan(roundUp(max(cfg.reserve, length), granularity))
		if err != nil {
			return osError(op, err)
		}
		mem.span = span
	}
	section, data, err := mapView(h, cfg, length, mem.span)
	if err != nil {
		releaseSpan(mem)
		return osError(op, err)
	}
	mem.section, mem.data = uintptr(section), data
	return nil
}

// mapView makes a section of offset+length bytes of h (the paging file for
// InvalidHandle), named by cfg.tagName, and maps length bytes of it from
// the offset: at the front of span, a reservation, when it is long enough.
func mapView(h windows.Handle, cfg *config, length int, span []byte) (windows.Handle, []byte, error) {
	size := uint64(cfg.offset) + uint64(length)
	var name *uint16
	if cfg.tagName != "" {
		var err error
		if name, err = windows.UTF16PtrFromString(cfg.tagName); err != nil {
			return 0, nil, err
		}
	}
	var section windows.Handle
	var err error
	if cfg.name != "" {
		section, err = namedSection(cfg, size, name)
	} else {
		section, err = windows.CreateFileMapping(h, nil, uint32(cfg.prot), uint32(size>>32), uint32(size), name)
		if err == windows.ERROR_ALREADY_EXISTS && section != 0 {
			err = nil // a section of that name exists: this map shares it, as with a tag name in CPython
		}
	}
	if err != nil {
		return 0, nil, err
	}
	if roundUp(length, pageSize) <= len(span) {
		data, err := viewInSpan(section, uint32(cfg.prot), cfg.offset, span, length)
		if err != nil {
			windows.CloseHandle(section)
			return 0, nil, err
		}
		return section, data, nil
	}
	at, err := windows.MapViewOfFile(section, uint32(cfg.flags), uint32(uint64(cfg.offset)>>32), uint32(cfg.offset), uintptr(length))
	if err != nil {
		windows.CloseHandle(section)
		return 0, nil, err
	}
	// at is the address of memory that the Go heap does not manage.
	p := *(**byte)(unsafe.Pointer(&at))
	return section, unsafe.Slice(p, roundUp(length, pageSize))[:length], nil
}

// unmapView unmaps a view from mapView, with the same span, and closes its
// section.
func unmapView(section uintptr, data, span []byte) error {
	var err error
	if roundUp(len(data), pageSize) <= len(span) {
		err = unviewInSpan(data, span)
	} else {
		err = windows.UnmapViewOfFile(addr(data))
	}
	if cerr := windows.CloseHandle(windows.Handle(section)); err == nil {
		err = cerr
	}
	return err
}

// lockFreeReads: on Windows reads take the lock (guard.go), as a view cannot
// be replaced in place by inaccessible memory.
const lockFreeReads = false

// sysRetire: sysResize unmaps what it replaces itself.
func sysRetire(*memory, *snapshot, []byte) error { return nil }

// sysUnmap unmaps mem's view. The range of a view that escaped stays
// reserved (keepsStale).
func sysUnmap(mem *memory, _ *snapshot) error {
	if mem.data == nil {
		return nil
	}
	if mem.mirror {
		unmapMirror(mem)
	}
	err := unmapView(mem.section, mem.data, mem.span)
	if mem.span != nil {
		releaseSpan(mem)
	} else {
		keepStale(mem, mem.data)
	}
	return err
}

// keepsStale: see keepStale.
const keepsStale = unsafe.Sizeof(uintptr(0)) == 8

func closeFD(mem *memory) error {
	if mem.fd == noFD {
		return nil
	}
	err := windows.CloseHandle(windows.Handle(mem.fd))
	mem.fd = noFD
	return err
}

func closeRawFD(fd int) { windows.CloseHandle(windows.Handle(fd)) }

func openFile(name string, readOnly bool) (int, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return noFD, err
	}
	access := uint32(windows.GENERIC_READ | windows.GENERIC_WRITE)
	if readOnly {
		access = windows.GENERIC_READ
	}
	h, err := windows.CreateFile(p, access, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return noFD, err
	}
	return int(h), nil
}

// readErr returns the error of reading the byte at off from fd, nil if it
// reads.
func readErr(fd int, off int64) error {
	var b [1]byte
	var done uint32
	o := windows.Overlapped{Offset: uint32(off), OffsetHigh: uint32(off >> 32)}
	return windows.ReadFile(windows.Handle(fd), b[:], &done, &o)
}

// statFD returns the size of the file behind fd and its type, as the Unix
// backend's.
func statFD(fd int) (int64, fs.FileMode, error) {
	h := windows.Handle(fd)
	if t, err := windows.GetFileType(h); err == nil && t == windows.FILE_TYPE_PIPE {
		return 0, fs.ModeNamedPipe, nil
	}
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &info); err != nil {
		return 0, 0, err
	}
	if info.FileAttributes&windows.FILE_ATTRIBUTE_DIRECTORY != 0 {
		return 0, fs.ModeDir, nil
	}
	return int64(info.FileSizeHigh)<<32 | int64(info.FileSizeLow), 0, nil
}

// sysFlush writes b back with FlushViewOfFile, then waits for the file's
// data to reach the disk with FlushFileBuffers: durable, unlike CPython's
// flush on Windows, which stops at the first.
func sysFlush(mem *memory, b []byte) error {
	if err := sysFlushAsync(b); err != nil {
		return err
	}
	if mem.fd != noFD {
		return windows.FlushFileBuffers(windows.Handle(mem.fd))
	}
	return nil
}

func sysFlushAsync(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return windows.FlushViewOfFile(uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
}

// prefetch asks Windows to read b in (PrefetchVirtualMemory), and reports
// whether it could.
func prefetch(b []byte) bool {
	if len(b) == 0 || procPrefetchVirtualMemory.Find() != nil {
		return false
	}
	entry := struct {
		addr uintptr
		size uintptr
	}{uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b))}
	r, _, _ := procPrefetchVirtualMemory.Call(uintptr(windows.CurrentProcess()), 1, uintptr(unsafe.Pointer(&entry)), 0)
	return r != 0
}

// sysPopulate prefetches data; the caller then touches every page.
func sysPopulate(data []byte) bool {
	prefetch(data)
	return false
}

// sysResize follows CPython on Windows: the view and the section are made
// anew with the new size, and for a file the file's size becomes
// offset+newSize. It fails, leaving map and file as they were, when another
// map holds the file (ERROR_USER_MAPPED_FILE). An anonymous map's bytes are
// copied into the new section. The new view takes the old one's place in
// the map's reservation when it fits there (Options.Reserve); past it, the
// reservation goes. It unmaps the old view itself: reads hold the lock on
// Windows.
func sysResize(mem *memory, c *config, newSize int) ([]byte, error) {
	const op = "resize"
	if newSize > math.MaxInt-c.unit { // the page rounding would overflow
		return nil, errorf(ErrInvalid, op, "new size %d is too large to map", newSize)
	}
	span := mem.span // where the new view goes: nil past the reservation
	if roundUp(newSize, pageSize) > len(span) {
		span = nil
	}
	if c.name != "" {
		return nil, errorf(errors.ErrUnsupported, op, "a named section's size is fixed on Windows")
	}
	old := mem.data
	if c.anon {
		anon := &config{prot: c.prot, flags: c.flags}
		section, data, err := mapView(windows.InvalidHandle, anon, newSize, nil)
		if err != nil {
			return nil, osError(op, err)
		}
		if err := guarded("resize", func() { copy(data[:cap(data)], mem.data[:cap(mem.data)]) }); err != nil {
			unmapView(uintptr(section), data, nil)
			return nil, err
		}
		unmapView(mem.section, mem.data, mem.span)
		mem.section, mem.data = uintptr(section), data
		if span != nil {
			// Into the reservation, where the old view was; should that
			// fail, the map moves to the copy.
			if in, err := viewInSpan(section, uint32(anon.prot), 0, span, newSize); err == nil {
				windows.UnmapViewOfFile(addr(data))
				mem.data = in
			} else {
				span = nil
			}
		}
		leaveOld(mem, old, span)
		return nil, nil
	}
	h := windows.Handle(mem.fd)
	oldFile, _, err := statFD(mem.fd)
	if err != nil {
		return nil, osError(op, err)
	}
	// The view must go before the file can shrink; CreateFileMapping grows
	// the file itself.
	if err := unmapView(mem.section, mem.data, mem.span); err != nil {
		return nil, osError(op, err)
	}
	mem.data = nil
	newFile := c.offset + int64(newSize)
	if newFile < oldFile {
		if err := windows.Ftruncate(h, newFile); err != nil {
			if rerr := remapAfter(mem, h, c, len(old)); rerr != nil {
				return nil, osError(op, fmt.Errorf("%w; restoring the map: %w", err, rerr))
			}
			if errors.Is(err, windows.ERROR_USER_MAPPED_FILE) {
				return nil, errorf(ErrInvalid, op, "another map holds the file (%v)", err)
			}
			return nil, osError(op, err)
		}
	}
	if err := remapAfter(mem, h, c, newSize); err != nil {
		windows.Ftruncate(h, oldFile)
		if rerr := remapAfter(mem, h, c, len(old)); rerr != nil {
			return nil, osError(op, fmt.Errorf("%w; restoring the map: %w", err, rerr))
		}
		return nil, osError(op, err)
	}
	if newFile > oldFile {
		windows.Ftruncate(h, newFile) // the section grew it to a multiple of the page size
	}
	leaveOld(mem, old, span)
	return nil, nil
}

// leaveOld settles the range of old, mem's view before a Resize: the
// reservation goes when the new view is outside it (span is nil), and a
// view that escaped keeps its range reserved.
func leaveOld(mem *memory, old, span []byte) {
	switch {
	case span != nil:
	case mem.span != nil:
		releaseSpan(mem)
	default:
		keepStale(mem, old)
	}
}

// remapAfter maps size bytes of the file anew into mem, inside its
// reservation when they fit.
func remapAfter(mem *memory, h windows.Handle, c *config, size int) error {
	section, data, err := mapView(h, c, size, mem.span)
	if err != nil {
		return err
	}
	mem.section, mem.data = uintptr(section), data
	return nil
}

func dupFD(fd int) (int, error) {
	p := windows.CurrentProcess()
	var dup windows.Handle
	if err := windows.DuplicateHandle(p, windows.Handle(fd), p, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return noFD, err
	}
	return int(dup), nil
}

// newShared makes the memory of Shared: a section of the paging file with a
// fresh name, which a child process maps by that name (Map.TagName).
func newShared(_ string, length int) (*Map, error) {
	return Anonymous(length, &Options{TagName: fmt.Sprintf("Local\\mmap-shared-%d-%016x", os.Getpid(), rand.Uint64())})
}

// sysProtect makes b read-only, or gives it back the section's protection.
func sysProtect(b []byte, c *config, readOnly bool) error {
	prot := uint32(c.prot)
	if readOnly {
		prot = windows.PAGE_READONLY
	}
	var old uint32
	return windows.VirtualProtect(uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(cap(b)), prot, &old)
}

// memlockLimit: Windows limits locked pages by the working set's minimum.
func memlockLimit() string { return "the process's minimum working set size limits it" }

// badAddress: on Windows a view of a file cannot lose its pages.
func badAddress(error) bool { return false }
