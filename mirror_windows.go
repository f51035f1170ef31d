package mmap

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mirrorUnit: each view of a Mirror starts on the allocation granularity.
var mirrorUnit = granularity

// newMirror views a new section of the paging file of size bytes (a
// multiple of the granularity) twice, back to back.
func newMirror(op string, size int) (*Map, error) {
	cfg, err := resolve(op, size, nil, true)
	if err != nil {
		return nil, err
	}
	section, err := windows.CreateFileMapping(windows.InvalidHandle, nil, windows.PAGE_READWRITE,
		uint32(uint64(size)>>32), uint32(size), nil)
	if err != nil {
		return nil, osError(op, err)
	}
	data, span, err := mirrorInSpan(section, size)
	if errors.Is(err, errors.ErrUnsupported) {
		data, err = mirrorAnywhere(section, size)
	}
	if err != nil {
		windows.CloseHandle(section)
		return nil, osError(op, err)
	}
	mem := &memory{fd: noFD, section: uintptr(section), data: data, span: span, mirror: true}
	return wrap(mem, cfg), nil
}

// mirrorInSpan views section twice into a placeholder of 2*size bytes.
func mirrorInSpan(section windows.Handle, size int) (data, span []byte, err error) {
	if span, err = reserveSpan(2 * size); err != nil {
		return nil, nil, err
	}
	if data, err = viewInSpan(section, windows.PAGE_READWRITE, 0, span, size); err != nil {
		windows.VirtualFree(addr(span), 0, windows.MEM_RELEASE)
		return nil, nil, err
	}
	v, _, err := procMapViewOfFile3.Call(uintptr(section), uintptr(windows.CurrentProcess()), addr(span[size:]),
		0, uintptr(size), memReplacePlaceholder, windows.PAGE_READWRITE, 0, 0)
	if v == 0 {
		unviewInSpan(data, span)
		windows.VirtualFree(addr(span), 0, windows.MEM_RELEASE)
		return nil, nil, err
	}
	return data, span, nil
}

// mirrorAnywhere views section twice at an address that was free a moment
// before; another thread may take part of it meanwhile, and then it tries
// again elsewhere.
func mirrorAnywhere(section windows.Handle, size int) ([]byte, error) {
	var err error
	for range 100 {
		var base uintptr
		if base, err = windows.VirtualAlloc(0, uintptr(2*size), windows.MEM_RESERVE, windows.PAGE_NOACCESS); err != nil {
			return nil, err
		}
		windows.VirtualFree(base, 0, windows.MEM_RELEASE)
		if err = viewAt(section, size, base); err != nil {
			continue
		}
		if err = viewAt(section, size, base+uintptr(size)); err != nil {
			windows.UnmapViewOfFile(base)
			continue
		}
		// base is the address of memory that the Go heap does not manage.
		return unsafe.Slice(*(**byte)(unsafe.Pointer(&base)), size), nil
	}
	return nil, err
}

// viewAt views size bytes of section at base, or fails.
func viewAt(section windows.Handle, size int, base uintptr) error {
	v, _, err := procMapViewOfFileEx.Call(uintptr(section), windows.FILE_MAP_WRITE, 0, 0, uintptr(size), base)
	if v == 0 {
		return err
	}
	if v != base { // not as asked: cannot happen, but then it is no mirror
		windows.UnmapViewOfFile(v)
		return windows.ERROR_INVALID_ADDRESS
	}
	return nil
}

// unmapMirror unmaps the second view of a Mirror, into its placeholder
// when it has one.
func unmapMirror(mem *memory) {
	second := unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem.data)), len(mem.data))
	if mem.span != nil {
		procUnmapViewOfFile2.Call(uintptr(windows.CurrentProcess()), uintptr(second), memPreservePlaceholder)
		return
	}
	windows.UnmapViewOfFile(uintptr(second))
	keepStale(mem, unsafe.Slice((*byte)(second), len(mem.data)))
}
