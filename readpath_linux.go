package mmap

import (
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/mmapio/mmap/internal/search"
	"golang.org/x/sys/unix"
)

// The Linux half of readpath.go: reading the file (pread) for the copies
// out and for Find, and asking the page tables (/proc/self/pagemap) what a
// fault mapped. On Linux a shared or read-only file map and the file's page
// cache are the same memory, so pread gives the bytes that the mapping
// would, without a page fault per page of a fresh map.

// maxFileNeedle is the longest needle a search reads from the file: the
// chunks it reads overlap by the needle's length.
const maxFileNeedle = 64 << 10

// fileBufs are the buffers of indexFile.
var fileBufs = sync.Pool{New: func() any {
	b := make([]byte, filePiece+maxFileNeedle)
	return &b
}}

// sameAsFile reports whether the map's bytes are its file's: a shared or
// read-only map of a file, whose pages are the page cache's. Then the
// copies out, the scans and the writes may go by the file's descriptor
// instead of the mapping, with the same bytes.
func (m *Map) sameAsFile() bool {
	c := &m.cfg
	return !c.anon && c.trackFD && c.access != AccessCopy && c.flags&unix.MAP_PRIVATE == 0 &&
		c.prot&unix.PROT_READ != 0
}

// indexFile is search.Index(data[c:end], sub) over the bytes that pread
// gives from the file. Where the file gives fewer (it ended inside the
// map) or the map was closed, it searches the mapping, which answers as it
// would have: a fault where the file is gone.
//
// It reads filePiece bytes at a time (the pieces overlapping by the
// needle), so that the search finds them in the core's cache where pread
// left them: 4 MiB at a time ran slower than a loop of 1 MiB ReadAt calls
// in a page cache of 4 KiB folios (BENCHMARKS.md, "Reads from the file").
func (m *Map) indexFile(data []byte, c, end int, sub []byte) int {
	bp := fileBufs.Get().(*[]byte)
	defer fileBufs.Put(bp)
	// The descriptor stays open meanwhile (fdMu): a scan on a 32-bit
	// system holds the Map's lock already (lockFreeReads).
	if lockFreeReads {
		m.fdMu.RLock()
		defer m.fdMu.RUnlock()
	}
	if m.closed.Load() {
		return search.Index(data[c:end], sub)
	}
	for p := c; p < end; p += filePiece {
		e := min(p+filePiece+len(sub)-1, end)
		buf := (*bp)[:e-p]
		m.pread(buf, data, p) // the mapping faults where the file is gone
		if i := search.Index(buf, sub); i >= 0 {
			return p - c + i
		}
		if e == end {
			break
		}
	}
	return -1
}

// filePiece is how much indexFile reads at a time.
const filePiece = 1 << 20

// preadFull reads len(p) bytes at off, or fewer at the end of the file or
// on an error, and returns how many.
func preadFull(fd int, p []byte, off int64) int {
	n := 0
	for n < len(p) {
		k, err := unix.Pread(fd, p[n:], off+int64(n))
		if err == unix.EINTR {
			continue
		}
		if err != nil || k <= 0 {
			break
		}
		n += k
	}
	return n
}

// pagemap is /proc/self/pagemap, opened once, or -1 where it cannot be.
var pagemap = sync.OnceValue(func() int {
	fd, err := unix.Open("/proc/self/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
})

// pageMapped reports whether the page of b is mapped in this process's
// page tables (/proc/self/pagemap), and ok, whether it could tell.
func pageMapped(b *byte) (mapped, ok bool) {
	fd := pagemap()
	if fd < 0 {
		return false, false
	}
	var e [8]byte
	if n, err := unix.Pread(fd, e[:], int64(uintptr(unsafe.Pointer(b))/uintptr(pageSize)*8)); n != 8 || err != nil {
		return false, false
	}
	return e[7]&0x80 != 0, true // bit 63: present
}

// memoryLimit returns the memory this process may use, in bytes: the least
// of the machine's (sysinfo) and the limits of its memory cgroups (v2's
// memory.max, v1's memory.limit_in_bytes, of its cgroup and of each one
// above it), read at the first call; 0 where it cannot tell. A variable,
// so that the tests may set a limit.
var memoryLimit = sync.OnceValue(func() int64 {
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 0
	}
	limit := int64(si.Totalram) * int64(si.Unit)
	own, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return limit
	}
	for line := range strings.Lines(string(own)) {
		// "0::/path" (v2) or "4:memory:/path" (v1, among others).
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) != 3 {
			continue
		}
		root, file := "", ""
		switch {
		case f[0] == "0" && f[1] == "":
			root, file = "/sys/fs/cgroup", "memory.max"
		case slices.Contains(strings.Split(f[1], ","), "memory"):
			root, file = "/sys/fs/cgroup/memory", "memory.limit_in_bytes"
		default:
			continue
		}
		for dir := path.Clean(f[2]); ; dir = path.Dir(dir) {
			b, err := os.ReadFile(root + dir + "/" + file)
			if n, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && perr == nil && n > 0 {
				limit = min(limit, n) // "max", v2's no limit, does not parse
			}
			if dir == "/" {
				break
			}
		}
	}
	return limit
})
