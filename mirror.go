package mmap

import "math"

// Mirror returns size bytes of zero-filled shared memory mapped twice, back
// to back: Bytes returns 2*Len() bytes whose halves are the same memory, so
// that a record that runs past the end of the first half goes on into the
// second and is read as one slice. It is the memory of a ring buffer
// (see ExampleMirror): a writer at position p%Len() may write up to Len()
// bytes in one copy. Every method but Bytes sees Len() bytes, and Resize is
// [errors.ErrUnsupported].
//
// size is rounded up to a multiple of [PageSize], and of
// [AllocationGranularity] on Windows, where each half must start on one. A
// size of 0 or less, or one whose double would not fit the address space,
// is ErrInvalid.
//
// The memory is a memfd on Linux (a removed temporary file on other Unix
// systems, as for [Shared]), mapped at the front of a reservation of twice its
// size and then a second time behind itself with MAP_FIXED. On Windows it
// is a section of the paging file, viewed twice into a placeholder split in
// two (VirtualAlloc2, MapViewOfFile3), so that no other allocation can take
// the second half's range between the two; where the system has no
// placeholders (before Windows 10 1803, Wine, 32-bit processes) the views go
// at an address found free a moment before, tried again should another
// allocation take it meanwhile.
func Mirror(size int) (*Map, error) {
	const op = "mirror"
	unit := max(pageSize, mirrorUnit)
	if size <= 0 || size > math.MaxInt/2-unit {
		return nil, errorf(ErrInvalid, op, "size %d must be positive and at most %d", size, math.MaxInt/2-unit)
	}
	return newMirror(op, roundUp(size, unit))
}
