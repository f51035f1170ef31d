package mmap

import "golang.org/x/sys/windows"

// Retiring stale views on Windows: what Close and Resize do with the range
// of a view they unmapped, which views that escaped (Bytes, Lines) may
// still touch. Reads take the lock here (lockFreeReads), so no read is in
// a view when it goes.

// releaseSpan frees mem's reservation, which no view is in, or keeps it
// for good when a view escaped (keepsStale).
func releaseSpan(mem *memory) {
	if mem.span == nil {
		return
	}
	if !mem.escaped.Load() {
		windows.VirtualFree(addr(mem.span), 0, windows.MEM_RELEASE)
	}
	mem.span = nil
}

// keepStale reserves the range of an unmapped view that escaped, so that
// a stale view faults rather than read the next allocation there. Another
// thread may take the range between the unmap and the reservation: without
// placeholders, Windows cannot do both at once.
func keepStale(mem *memory, b []byte) {
	if keepsStale && mem.escaped.Load() && len(b) > 0 {
		windows.VirtualAlloc(addr(b), uintptr(cap(b)), windows.MEM_RESERVE, windows.PAGE_NOACCESS)
	}
}
