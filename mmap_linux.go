package mmap

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// copies reports whether a resize of a map with c maps anew and copies
// rather than resizing in place: for a shared anonymous map that grows,
// since mremap grows it but the shared memory object behind it keeps its
// size and the new pages fault on touch; and for a map of huge pages, which
// mremap handles on recent kernels only.
func copies(c *config, grow bool) bool {
	return c.anon && !c.private() && grow || c.flags&unix.MAP_HUGETLB != 0
}

// growInPlace grows the mapping old to size bytes where it is, with
// mremap(2) and no MREMAP_MAYMOVE: reads may still be in old (guard.go),
// so it must not move. ENOMEM says the next range is taken.
func growInPlace(old []byte, size int) error {
	_, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(old)), uintptr(len(old)), nil, uintptr(size), 0)
	return err
}

// sysAdvise is madvise(2) of b, at b's address even when b is empty, so that
// the kernel judges the advice of an empty range as CPython lets it
// (unix.Madvise passes another address for an empty slice).
func sysAdvise(b []byte, advice int) error {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), uintptr(advice))
	if e != 0 {
		return e
	}
	return nil
}

// fullSync is needed on macOS only.
func fullSync(int) error { return nil }

// sharedFD returns a memfd of size bytes, sealed against shrinking
// (F_SEAL_SHRINK) so that no process it is handed to can truncate it under
// this one's map; or, where memfd_create is missing (kernels before 3.17,
// or forbidden by a seccomp filter), a removed temporary file.
func sharedFD(size int64) (int, error) {
	fd, err := unix.MemfdCreate("mmap-shared", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return tempSharedFD(size)
	}
	if err := unix.Ftruncate(fd, size); err != nil {
		unix.Close(fd)
		return noFD, err
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK); err != nil {
		unix.Close(fd)
		return noFD, err
	}
	return fd, nil
}

// populateFlag makes mmap read a shared map's pages in up front.
const populateFlag = unix.MAP_POPULATE

// hugeTLB is the flag of maps backed by reserved huge pages.
const hugeTLB = unix.MAP_HUGETLB

// hugePages chooses MAP_HUGETLB for an anonymous map when enough huge pages
// are free to back it; sysAfterMap advises transparent huge pages otherwise.
func hugePages(c *config, length int) {
	size, free := hugePagesFree()
	if c.anon && size > 0 && free*size >= length {
		c.flags |= unix.MAP_HUGETLB
		c.unit = size
	}
}

// hugePagesFree reads the size of a huge page and how many are free from
// /proc/meminfo.
func hugePagesFree() (size, free int) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.Atoi(string(f[1]))
		switch string(f[0]) {
		case "HugePages_Free:":
			free = n
		case "Hugepagesize:":
			size = n << 10 // kB
		}
	}
	return size, free
}

// sysAfterMap advises transparent huge pages for a map that asked for huge
// pages and did not get MAP_HUGETLB.
func sysAfterMap(data []byte, c *config) {
	if c.huge && c.flags&unix.MAP_HUGETLB == 0 {
		unix.Madvise(data[:cap(data)], unix.MADV_HUGEPAGE) // advice: ignored where THP is off
	}
}

// sysPopulate faults data in with MADV_POPULATE_READ (Linux 5.14), and
// reports whether it did.
func sysPopulate(data []byte) bool {
	return len(data) > 0 && unix.Madvise(data, unix.MADV_POPULATE_READ) == nil
}
