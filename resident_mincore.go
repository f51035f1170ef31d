//go:build linux || darwin || freebsd || netbsd || dragonfly

package mmap

//lint:file-ignore SA1019 x/sys/unix wraps mincore nowhere; on macOS SYS_MINCORE goes through libSystem's syscall(2)

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysResident counts the pages of data, which starts on a page, in memory with mincore(2), which
// x/sys/unix does not wrap.
func sysResident(data []byte) (int, error) {
	if len(data) == 0 {
		return 0, nil
	}
	var small [1<<regionShift/4096 + 1]byte // the copies' (readpath.go), a region's at most, without an allocation
	var vec []byte
	if pages := (len(data) + pageSize - 1) / pageSize; pages <= len(small) {
		vec = small[:pages]
	} else {
		vec = make([]byte, pages)
	}
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(unsafe.SliceData(data))),
		uintptr(len(data)), uintptr(unsafe.Pointer(unsafe.SliceData(vec))))
	if errno != 0 {
		return 0, errno
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n, nil
}
