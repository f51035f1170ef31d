package mmap

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// What Windows does for the calls that Unix answers with mincore, madvise
// and mlock.

// sysResident counts the pages of data that are in the process's working
// set (QueryWorkingSetEx), a batch of pages at a time. Pages of the file
// cache that no view of this process has touched are not counted: Windows
// does not tell which pages of a file it has cached.
func sysResident(data []byte) (int, error) {
	const batch = 1024
	var info [batch]windows.PSAPI_WORKING_SET_EX_INFORMATION
	base := unsafe.Pointer(unsafe.SliceData(data))
	pages := (len(data) + pageSize - 1) / pageSize
	n := 0
	for first := 0; first < pages; first += batch {
		k := min(batch, pages-first)
		for i := range k {
			info[i] = windows.PSAPI_WORKING_SET_EX_INFORMATION{VirtualAddress: windows.Pointer(unsafe.Add(base, (first+i)*pageSize))}
		}
		if err := windows.QueryWorkingSetEx(windows.CurrentProcess(), uintptr(unsafe.Pointer(&info[0])),
			uint32(uintptr(k)*unsafe.Sizeof(info[0]))); err != nil {
			return 0, err
		}
		for _, w := range info[:k] {
			if w.VirtualAttributes.Valid() {
				n++
			}
		}
	}
	return n, nil
}

// sysAdvise: Windows has no madvise. MADV_WILLNEED prefetches the range
// (PrefetchVirtualMemory); MADV_DONTNEED takes the range out of the
// working set (VirtualUnlock of pages that are not locked), so that its
// pages leave memory and are read again from the file or the paging file
// when next touched, as Linux's MADV_DONTNEED for a shared map (the
// changes of an AccessCopy map stay, which Linux would drop); MADV_NORMAL
// is what Windows does anyway. RANDOM and SEQUENTIAL have no counterpart
// for a view: errors.ErrUnsupported (FeatureAccessPattern). Others:
// EINVAL, as madvise says of an advice it does not know.
func sysAdvise(b []byte, advice int) error {
	switch advice {
	case MADV_WILLNEED:
		prefetch(b)
	case MADV_DONTNEED:
		return trim(b)
	case MADV_RANDOM, MADV_SEQUENTIAL:
		return fmt.Errorf("no read-ahead advice for a view on Windows: %w", errors.ErrUnsupported)
	case MADV_NORMAL:
	default:
		return syscall.EINVAL
	}
	return nil
}

// trim removes b's pages from the working set: VirtualUnlock of a range
// that is not locked does that, and fails with ERROR_NOT_LOCKED.
func trim(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	err := windows.VirtualUnlock(addr(b), uintptr(len(b)))
	if err == nil || errors.Is(err, windows.ERROR_NOT_LOCKED) {
		return nil
	}
	return err
}

// sysLock locks b into the working set. VirtualLock can lock no more than
// the working set's minimum (a few hundred KiB by default): when it says
// so, the minimum and maximum grow by b's size, and it tries again.
func sysLock(b []byte) error {
	err := windows.VirtualLock(addr(b), uintptr(len(b)))
	if !errors.Is(err, windows.ERROR_WORKING_SET_QUOTA) {
		return err
	}
	var lo, hi uintptr
	var flags uint32
	p := windows.CurrentProcess()
	windows.GetProcessWorkingSetSizeEx(p, &lo, &hi, &flags)
	grow := uintptr(roundUp(len(b), pageSize)) + 64*uintptr(pageSize)
	if serr := windows.SetProcessWorkingSetSizeEx(p, lo+grow, max(hi, lo+grow)+grow, flags); serr != nil {
		return err
	}
	return windows.VirtualLock(addr(b), uintptr(len(b)))
}

func sysUnlock(b []byte) error { return windows.VirtualUnlock(addr(b), uintptr(len(b))) }
