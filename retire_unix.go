//go:build unix

package mmap

import (
	"runtime"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Retiring stale mappings: what Close and Resize do with the pages of a
// mapping they replaced, which reads without the lock, or views that
// escaped (Bytes, Lines), may still touch (guard.go has the reads' side).

// lockFreeReads: reads take no lock on 64-bit systems (guard.go). On 32-bit
// ones the retired ranges would hold too much of the address space until
// the garbage collector frees them.
const lockFreeReads = unsafe.Sizeof(uintptr(0)) == 8

// keepsStale: once a view escaped (Bytes, Lines), the ranges that Close and
// Resize take from it stay reserved for the life of the process on 64-bit
// systems, where address space is plentiful; on 32-bit ones they are
// unmapped, and a stale view may read whatever is mapped there next.
const keepsStale = unsafe.Sizeof(uintptr(0)) == 8

// sysRetire takes b, whole pages of a mapping that Close or Resize replaced,
// out of use; old is the last snapshot of that mapping, whose reads without the
// lock (holding it, or an earlier snapshot of the same mapping) may still be in
// b. Pages inside the map's reservation go back to it, and those of a map
// whose view escaped stay inaccessible for good (keepsStale). Otherwise b
// is unmapped at once when no read can be in it, and else becomes
// inaccessible memory, so that a read still in it faults instead of reading
// whatever the kernel would map there next, and is unmapped once every snapshot
// of the mapping is garbage. Should that fail (the process is out of
// mappings, say), b stays as it is until then.
func sysRetire(mem *memory, old *snapshot, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if inSpan(mem, b) || keepsStale && mem.escaped.Load() {
		return inaccessible(b)
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if !lockFreeReads || old == nil || !mem.reading.Load() {
		return unix.MunmapPtr(p, uintptr(len(b)))
	}
	inaccessible(b)
	r := retired{p, uintptr(len(b))}
	runtime.AddCleanup(old.first, unmapRetired, r)
	if retiredCount.Add(1) > retiredMax && !collecting.Swap(true) {
		// A program that closes many maps between collections would
		// otherwise run out of mappings (vm.max_map_count).
		go func() {
			runtime.GC()
			collecting.Store(false)
		}()
	}
	return nil
}

// retired is a range that sysRetire left for unmapRetired.
type retired struct {
	p unsafe.Pointer // not Go memory: the collector ignores it
	n uintptr
}

// retiredMax is how many retired ranges may wait for the garbage collector
// before sysRetire starts a collection.
const retiredMax = 4096

var (
	retiredCount atomic.Int64 // ranges retired and not yet unmapped
	collecting   atomic.Bool  // sysRetire started a collection, not yet done
)

// unmapRetired is the cleanup of a snapshot that sysRetire retired.
func unmapRetired(r retired) {
	unix.MunmapPtr(r.p, r.n)
	retiredCount.Add(-1)
}

// inaccessible maps b, which this process owns, anew as PROT_NONE memory:
// the address range stays taken and touching it faults.
func inaccessible(b []byte) error {
	p := unsafe.Pointer(unsafe.SliceData(b))
	_, err := unix.MmapPtr(-1, 0, p, uintptr(len(b)), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_FIXED)
	return err
}

// inSpan reports whether b lies inside mem's reservation.
func inSpan(mem *memory, b []byte) bool {
	if len(mem.span) == 0 || len(b) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(mem.span)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p+uintptr(len(b)) <= start+uintptr(len(mem.span))
}
