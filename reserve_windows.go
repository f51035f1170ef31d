package mmap

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Address space reserved for growth (Options.Reserve) on Windows 10 1803
// and later: a placeholder (VirtualAlloc2), whose front a view replaces
// (MapViewOfFile3) and gives back when it is unmapped (UnmapViewOfFile2),
// so that no other allocation can take the range between the two. A Resize
// inside the placeholder maps the new view at the same address. Where the
// system has no placeholders (older Windows, Wine 8), Reserve is
// errors.ErrUnsupported; so it is for 32-bit processes, whose address space
// is too small for it.

// reserveSpan reserves size bytes of address space as one placeholder.
func reserveSpan(size int) ([]byte, error) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		return nil, fmt.Errorf("%w: reservations need a 64-bit process", errors.ErrUnsupported)
	}
	for _, p := range []*windows.LazyProc{procVirtualAlloc2, procMapViewOfFile3, procUnmapViewOfFile2} {
		if err := p.Find(); err != nil {
			return nil, fmt.Errorf("%w: reservations need Windows 10 1803 or later (%v)", errors.ErrUnsupported, err)
		}
	}
	p, _, err := procVirtualAlloc2.Call(0, 0, uintptr(size), windows.MEM_RESERVE|memReservePlaceholder,
		windows.PAGE_NOACCESS, 0, 0)
	if p == 0 {
		if err == windows.ERROR_INVALID_PARAMETER { // a VirtualAlloc2 without placeholders
			return nil, fmt.Errorf("%w: this system refuses placeholders (VirtualAlloc2: %v)", errors.ErrUnsupported, err)
		}
		return nil, err
	}
	// p is the address of memory that the Go heap does not manage.
	return unsafe.Slice(*(**byte)(unsafe.Pointer(&p)), size), nil
}

// viewInSpan maps length bytes of section from offset at the front of span,
// a placeholder, splitting it when the view is shorter. The placeholder is
// split at the page-rounded length, but the view asked for is length bytes:
// a file's section is offset+length bytes long, and a view longer than its
// section is refused (ERROR_ACCESS_DENIED, as MapViewOfFile refuses 4 KiB of a
// 1-byte file), while the system rounds the view itself up to the page that
// the placeholder ends on.
func viewInSpan(section windows.Handle, prot uint32, offset int64, span []byte, length int) ([]byte, error) {
	mapped := roundUp(length, pageSize)
	base := addr(span)
	if mapped < len(span) {
		if err := windows.VirtualFree(base, uintptr(mapped), windows.MEM_RELEASE|memPreservePlaceholder); err != nil {
			return nil, err
		}
	}
	v, _, err := procMapViewOfFile3.Call(uintptr(section), uintptr(windows.CurrentProcess()), base,
		uintptr(offset), uintptr(length), memReplacePlaceholder, uintptr(prot), 0, 0)
	if v == 0 {
		coalesce(span)
		return nil, err
	}
	return span[:length:mapped], nil
}

// unviewInSpan unmaps a view that viewInSpan mapped, back into one
// placeholder with the rest of span.
func unviewInSpan(data, span []byte) error {
	r, _, err := procUnmapViewOfFile2.Call(uintptr(windows.CurrentProcess()), addr(data), memPreservePlaceholder)
	if r == 0 {
		return err
	}
	coalesce(span)
	return nil
}

// coalesce joins the placeholders of span into one; it fails harmlessly
// when span is one already.
func coalesce(span []byte) {
	windows.VirtualFree(addr(span), uintptr(len(span)), windows.MEM_RELEASE|memCoalescePlaceholders)
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
