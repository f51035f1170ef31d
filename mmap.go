package mmap

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// Access says how a [Map] may be used and whether writes reach the file.
type Access int

// The access modes, Python's ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE and
// ACCESS_COPY.
const (
	AccessDefault Access = 0 // Flags and Prot decide (Python ACCESS_DEFAULT)
	AccessRead    Access = 1 // read-only; writes return ErrReadOnly
	AccessWrite   Access = 2 // write-through, shared with the file
	AccessCopy    Access = 3 // copy-on-write; the file never changes
)

// String returns the name of the access mode, as in Python ("ACCESS_READ", …).
func (a Access) String() string {
	switch a {
	case AccessDefault:
		return "ACCESS_DEFAULT"
	case AccessRead:
		return "ACCESS_READ"
	case AccessWrite:
		return "ACCESS_WRITE"
	case AccessCopy:
		return "ACCESS_COPY"
	}
	return fmt.Sprintf("Access(%d)", int(a))
}

// PageSize is the size of a memory page (Python's mmap.PAGESIZE). It is a
// variable, as Python's is, for programs to read: the package itself never
// reads it, so that an assignment to it changes nothing.
var PageSize = pageSize

// AllocationGranularity is the unit in which [Options.Offset] must be given
// (Python's mmap.ALLOCATIONGRANULARITY): [PageSize] on Unix, 64 KiB on Windows.
// Like PageSize, it is for programs to read; the package never reads it.
var AllocationGranularity = granularity

// The page size and allocation granularity that the package uses.
var (
	pageSize    = os.Getpagesize()
	granularity = allocationGranularity()
	// pageShift is log2(pageSize), for page numbers on the hot paths: a
	// division by the variable pageSize is a 64-bit idiv.
	pageShift = bits.TrailingZeros(uint(pageSize))
)

// Options holds the optional parameters of [MapFile] and Anonymous. The zero
// value, like a nil *Options, asks for a shared read-write map of the whole
// file.
type Options struct {
	Access    Access // non-default Access excludes Flags and Prot
	Flags     int    // Unix mmap(2) flags; 0 means MAP_SHARED
	Prot      int    // Unix protection; 0 means PROT_READ|PROT_WRITE
	Offset    int64  // a multiple of AllocationGranularity
	NoTrackFD bool   // Python trackfd=False: keep no duplicate descriptor; Size and Resize then fail
	TagName   string // Windows: name of the mapping; ignored elsewhere

	// Populate reads the whole map into memory when it is made, so that
	// later accesses take no page fault (MAP_POPULATE for shared maps on
	// Linux, else as the Populate method).
	Populate bool

	// HugePages backs the map with huge pages: on Linux, MAP_HUGETLB when
	// enough huge pages are reserved (/proc/sys/vm/nr_hugepages) and the map
	// is anonymous, else transparent huge pages (MADV_HUGEPAGE); on FreeBSD,
	// MAP_ALIGNED_SUPER. Elsewhere it does nothing.
	HugePages bool

	// Reserve is address space kept for growth, in bytes: while the map's
	// length stays at most Reserve, Resize never moves it, so that
	// &Bytes()[0] stays the same and earlier views stay valid. The
	// reservation is inaccessible memory that costs address space only (no
	// RAM, no page tables); a Resize past it moves the map, as without it.
	// 0 reserves nothing. See Resize for the systems that keep it.
	Reserve int

	// Sparse makes Resize grow the file without giving the new bytes disk
	// blocks, as Python's resize does: a map far larger than its data (a
	// database's map size, as LMDB's) then costs no disk. The price: a full
	// disk is no longer an error from Resize but a fault (SIGBUS, turned
	// into [ErrFault] by the [Map]'s methods; a crash through Bytes) at the first
	// write to a page that has no block. Without it, Resize allocates what it
	// adds (see Resize). Windows allocates when it grows a file either way.
	Sparse bool

	// Mode is the permission of the memory [CreateNamed] makes: 0 means
	// 0600. It is ignored elsewhere.
	Mode fs.FileMode

	// RemoveOnClose makes the Close of a map from [CreateNamed] remove its
	// name, as [RemoveNamed], unless the name has since been given to other
	// memory. The garbage collector does not remove names: only Close does.
	RemoveOnClose bool

	// SharedAcrossUsers lets [OpenNamed] map memory that another user owns,
	// or that users other than its owner may write (group or other write
	// permission, as [CreateNamed] makes with a Mode of 0660 or 0666), which it
	// refuses otherwise. The risk it takes on: any user may create a name
	// first (squat it), so memory opened this way may hold what another user
	// wrote, and that user may read and change it while it is mapped. A
	// program that sets it must treat the memory as untrusted input.
	SharedAcrossUsers bool
}

// Map is a memory-mapped file or an anonymous memory map. It has two faces,
// like Python's mmap object: a byte array (At, Slice, ReadAt, Find, …) and a
// file with a current position (Read, Write, Seek, ReadLine, …).
//
// Every method is safe for concurrent use (Bytes, Err, Close and Resize
// too) except the thirteen that use the current position: Read, ReadByte,
// ReadLine, Lines, LinesErr, Write, WriteString, WriteByte, Seek, Tell, Find, RFind and
// WriteTo, which, like those of bytes.Reader, must not run at once with each
// other. See the package documentation for the rules on Close, Resize and
// the lifetime of Bytes.
type Map struct {
	// The fields that concurrent reads load come first, and those that
	// calls write, on cache lines of their own, after them: a write to a
	// cache line makes every other core that reads it miss it.
	closed atomic.Bool
	gen    atomic.Uint64 // counts the changes of mem.data: Resize, Close
	// populated is how many of the map's first bytes the helper populated
	// since the mapping last changed (ahead.go).
	populated atomic.Int64
	// fromFile: the copies out may read the file instead, by the paths
	// that the regions of the map showed faster (readpath.go); sameAsFile.
	fromFile bool
	paths    readPaths
	// toFile: the copies in may write the file instead (writepath.go).
	toFile bool
	writes writeCounts
	cfg    config
	mem    *memory // also the argument of the cleanup, so never m itself
	clean  runtime.Cleanup

	_ cpu.CacheLinePad
	// mu is held exclusively by Close and Resize, which change the memory,
	// and shared by the calls that touch it, except the reads where they
	// need no lock (guard.go).
	mu sync.RWMutex
	_  cpu.CacheLinePad
	// fdMu keeps the descriptor open for the reads that go by it without
	// mu (readpath.go): Close alone holds it exclusively, so that such a
	// read never waits for a Resize, which keeps the descriptor.
	fdMu sync.RWMutex
	_    cpu.CacheLinePad

	advised atomic.Bool           // the caller gave advice: the library gives none (hints.go)
	fault   atomic.Pointer[error] // the first fault of a method without an error result (Err)
	lost    atomic.Pointer[error] // the error of the first flush that failed (ErrLost)
	pos     int
	run     readRun // consecutive Reads, helped as a scan (ahead.go)
	bounce  []byte  // Commit's copies of changed pages, on their way to the file (commit.go)
}

// config is the resolved form of Options.
type config struct {
	access  Access
	flags   int
	prot    int
	offset  int64
	anon    bool
	trackFD bool
	tagName string

	unit      int  // the size of the map's pages: PageSize, or a huge page's
	protected bool // Protect(AccessRead) holds
	populate  bool
	huge      bool
	reserve   int // Options.Reserve

	name       string      // CreateNamed, OpenNamed
	mode       fs.FileMode // CreateNamed
	removeName bool        // Options.RemoveOnClose
	anyOwner   bool        // Options.SharedAcrossUsers

	fsName string // the file system's type, where the system tells it
	remote bool   // a network's or a user-space server's (fileSystem)
	sparse bool   // Options.Sparse
	attach bool   // OpenNamed: the memory exists
}

// memory is what a Map owns in the operating system. A cleanup releases it
// when the Map is dropped without Close.
type memory struct {
	data    []byte  // the mapping; nil once released
	fd      int     // the tracked descriptor (a HANDLE on Windows), or noFD
	section uintptr // Windows: the handle of the file mapping object
	escaped atomic.Bool
	// span is the address space reserved for the mapping (Options.Reserve),
	// which mem.data starts; nil when there is none.
	span []byte
	// mirror: the same memory is mapped a second time right after data
	// (Mirror), inside span where there is one.
	mirror bool

	snapshot atomic.Pointer[snapshot] // data, as the reads see it; nil once released
	reading  atomic.Bool              // a read went without the lock (guard.go)
}

// snapshot is the mapping as the reads see it, which may go on after Close or
// Resize replaced it (guard.go).
type snapshot struct {
	data []byte
	// first is the first snapshot of this mapping, itself unless a Resize in
	// place made this one: a read holding any snapshot of the mapping keeps
	// it, and with it the ranges that sysRetire hangs on it, alive.
	first *snapshot
}

// publish makes the reads see mem.data (none once it is nil) and returns
// the snapshot they saw before.
func (mem *memory) publish() *snapshot {
	var v *snapshot
	old := mem.snapshot.Load()
	if mem.data != nil {
		v = &snapshot{data: mem.data}
		v.first = v
		if old != nil && unsafe.SliceData(old.data) == unsafe.SliceData(mem.data) {
			v.first = old.first // resized in place
		}
	}
	return mem.snapshot.Swap(v)
}

// release unmaps the memory and closes the descriptor. old is the snapshot of
// the memory that reads may still be in, nil when none can be.
func (mem *memory) release(old *snapshot) error {
	err := sysUnmap(mem, old)
	mem.data, mem.section = nil, 0
	if cerr := closeFD(mem); err == nil {
		err = cerr
	}
	return err
}

// forget is the cleanup of a Map that was dropped without Close. The
// descriptor is always closed; the memory is unmapped only when no view of it
// (Bytes, Lines) ever escaped, since such a view may still be in use.
func forget(mem *memory) {
	if mem.escaped.Load() {
		closeFD(mem)
		return
	}
	mem.release(nil) // no call of the Map can be in progress
}

// MapFile maps length bytes of f, starting at opts.Offset; a length of 0 maps
// from the offset to the end of the file. A nil opts means all defaults: a
// shared read-write map. MapFile never closes f; unless opts.NoTrackFD is set
// the [Map] keeps a duplicate of the descriptor, so that Size and Resize keep
// working after the caller closes f.
//
// Bad input is an error wrapping [ErrInvalid]: a nil or closed f, a negative
// length or offset, an offset that is not a multiple of
// [AllocationGranularity], an [Access] together with Flags or Prot other than the
// defaults, an unknown Access, an offset past the end of the file (or at it,
// with a length of 0), a length greater than the file size minus the offset.
// An empty file with a length of 0 is ErrEmptyFile. Errors of the operating
// system keep their identity: errors.Is(err, [fs.ErrPermission]) for a write
// map of a file opened read-only, for instance.
func MapFile(f *os.File, length int, opts *Options) (*Map, error) {
	const op = "map file"
	if f == nil {
		return nil, errorf(ErrInvalid, op, "nil *os.File")
	}
	cfg, err := resolve(op, length, opts, false)
	if err != nil {
		return nil, err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, errorf(ErrInvalid, op, "%s: %v", f.Name(), err)
	}
	var m *Map
	cerr := rc.Control(func(fd uintptr) {
		m, err = newMap(op, int(fd), length, cfg, false)
	})
	if cerr != nil {
		return nil, fmt.Errorf("mmap: %s: %s: %w (%w)", op, f.Name(), ErrInvalid, cerr)
	}
	return m, err
}

// Anonymous returns length bytes of zero-filled memory backed by no file, as
// Python's mmap(-1, length). It is shared (MAP_SHARED) unless opts says
// otherwise; [AccessCopy] makes it private. A length of 0 or less is
// ErrInvalid.
func Anonymous(length int, opts *Options) (*Map, error) {
	const op = "anonymous"
	if length <= 0 { // CPython: OSError(EINVAL), from mmap(2)
		return nil, fmt.Errorf("mmap: %s: length %d must be positive: %w", op, length, &invalidErrno{syscall.EINVAL})
	}
	cfg, err := resolve(op, length, opts, true)
	if err != nil {
		return nil, err
	}
	if cfg.offset != 0 {
		return nil, errorf(ErrInvalid, op, "offset %d given without a file", cfg.offset)
	}
	return newMap(op, noFD, length, cfg, false)
}

// Open maps the whole of the named file: read-only for [AccessRead] and
// [AccessCopy], read-write otherwise. The [Map] owns the file and releases it on
// Close. An empty file is [ErrEmptyFile]; a missing file is an *fs.PathError
// (errors.Is(err, [fs.ErrNotExist])).
func Open(name string, access Access) (*Map, error) {
	const op = "open"
	cfg, err := resolve(op, 0, &Options{Access: access}, false)
	if err != nil {
		return nil, err
	}
	fd, err := openFile(name, cfg.access == AccessRead || cfg.access == AccessCopy)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	m, err := newMap(op, fd, 0, cfg, true)
	if err != nil {
		closeRawFD(fd)
		return nil, err
	}
	return m, nil
}

// resolve checks opts and turns it into a config, as CPython's mmap.__new__.
func resolve(op string, length int, opts *Options, anon bool) (config, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	c := config{access: o.Access, flags: o.Flags, prot: o.Prot, offset: o.Offset,
		anon: anon, trackFD: !o.NoTrackFD && !anon, tagName: o.TagName,
		unit: pageSize, populate: o.Populate, huge: o.HugePages, reserve: o.Reserve, sparse: o.Sparse}
	switch {
	case length < 0:
		return c, errorf(ErrInvalid, op, "negative length %d", length)
	case o.Offset < 0:
		return c, errorf(ErrInvalid, op, "negative offset %d", o.Offset)
	case o.Offset%int64(granularity) != 0:
		return c, errorf(ErrInvalid, op, "offset %d is not a multiple of the allocation granularity %d",
			o.Offset, granularity)
	case o.Access < AccessDefault || o.Access > AccessCopy:
		return c, errorf(ErrInvalid, op, "unknown access %d", int(o.Access))
	case o.Reserve < 0:
		return c, errorf(ErrInvalid, op, "negative reserve %d", o.Reserve)
	}
	if err := resolveSys(op, &c, length); err != nil {
		return c, err
	}
	if length > math.MaxInt-c.unit {
		return c, errorf(ErrInvalid, op, "length %d is too large to map", length)
	}
	if c.reserve > math.MaxInt-c.unit {
		return c, errorf(ErrInvalid, op, "reserve %d is too large to map", c.reserve)
	}
	return c, nil
}

// writable reports whether the access mode and Protect let the Map be
// written.
func (c *config) writable() bool { return c.access != AccessRead && !c.protected }

// newMap maps length bytes of fd (noFD for anonymous memory) at cfg.offset.
// With own, the Map takes fd over; otherwise it keeps a duplicate, if any.
func newMap(op string, fd, length int, cfg config, own bool) (*Map, error) {
	if !cfg.anon {
		size, err := checkFile(op, fd, length, cfg.offset)
		if err != nil {
			return nil, err
		}
		if length == 0 {
			if size-cfg.offset > int64(math.MaxInt-cfg.unit) {
				return nil, errorf(ErrInvalid, op, "file of %d bytes is too large to map on this platform", size)
			}
			length = int(size - cfg.offset)
		}
		cfg.fsName, cfg.remote = fileSystem(fd)
	}
	mem := &memory{fd: noFD}
	switch {
	case own:
		mem.fd = fd
	case cfg.trackFD:
		dup, err := dupFD(fd)
		if err != nil {
			return nil, osError(op, err)
		}
		mem.fd = dup
	}
	if err := sysMap(op, mem, fd, length, &cfg); err != nil {
		if !own {
			closeFD(mem)
		}
		return nil, err
	}
	if cfg.populate {
		// A file that shrank since checkFile faults: the map is still good.
		guarded("populate", func() { populate(mem.data) })
	}
	m := wrap(mem, cfg)
	if cfg.populate {
		m.populated.Store(int64(length)) // scans need no help
	}
	if trace.IsEnabled() {
		trace.Log(context.Background(), "mmap.new", fmt.Sprintf("fd=%d length=%d access=%s offset=%d",
			fd, length, cfg.access, cfg.offset))
	}
	return m, nil
}

// wrap makes the Map of mem, which is mapped, and publishes its memory.
func wrap(mem *memory, cfg config) *Map {
	mem.publish()
	m := &Map{cfg: cfg, mem: mem}
	m.fromFile = m.sameAsFile()
	m.toFile = m.writesFile()
	m.clean = runtime.AddCleanup(m, forget, mem)
	return m
}

// checkFile checks that length bytes from offset fit in the file behind fd
// and returns the file's size. Only regular files have a size to check
// against; devices are mapped as asked.
func checkFile(op string, fd, length int, offset int64) (int64, error) {
	size, kind, err := statFD(fd)
	if err != nil {
		return 0, osError(op, err)
	}
	switch kind {
	case fs.ModeDir:
		return 0, errorf(ErrInvalid, op, "cannot map a directory")
	case fs.ModeNamedPipe:
		return 0, errorf(ErrInvalid, op, "cannot map a FIFO")
	case fs.ModeSocket:
		return 0, errorf(ErrInvalid, op, "cannot map a socket")
	case 0:
		if length == 0 {
			if size == 0 {
				return 0, fmt.Errorf("mmap: %s: %w", op, ErrEmptyFile)
			}
			if offset >= size {
				return 0, errorf(ErrInvalid, op, "offset %d is not before the end of the %d-byte file", offset, size)
			}
		} else if (offset > size || size-offset < int64(length)) && !growsFile {
			return 0, errorf(ErrInvalid, op, "length %d at offset %d is greater than the %d-byte file",
				length, offset, size)
		}
	default:
		if length == 0 {
			return 0, errorf(ErrInvalid, op, "a length of 0 needs a regular file")
		}
	}
	return size, nil
}

// Close unmaps the memory and releases the descriptor. It waits for the
// calls in progress on other goroutines; on 64-bit Unix, where reads take no
// lock, it waits only for those that write or manage the map, and a read in
// progress (At, Slice, ReadAt, Read, ReadByte, ReadLine, the Find methods,
// Lines between its lines) either completes or returns ErrClosed. There the
// address range of a map that was read stays reserved, inaccessible, until
// the next garbage collection, so that such a read cannot land in other
// memory. Calls after Close return ErrClosed. Slices from Bytes and Lines
// must not be used after Close. A second Close returns nil.
func (m *Map) Close() error {
	if m == nil || m.mem == nil {
		return m.closedError("close")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed.Load() {
		return nil
	}
	m.closed.Store(true)
	m.gen.Add(1)
	m.clean.Stop()
	var rerr error
	if m.cfg.removeName {
		rerr = removeOwnName(m.mem, m.cfg.name)
	}
	old := m.mem.snapshot.Swap(nil)
	m.fdMu.Lock() // the reads by the descriptor end first
	defer m.fdMu.Unlock()
	if err := m.mem.release(old); err != nil {
		return osError("close", err)
	}
	if rerr != nil {
		return osError("close", rerr)
	}
	return m.lostBefore("close")
}

// Closed reports whether Close has been called. A nil *[Map] and a zero Map,
// which hold no memory, report true.
func (m *Map) Closed() bool { return m == nil || m.mem == nil || m.closed.Load() }

// Len returns the length of the map in bytes (Python's len(mm)), or 0 once it
// is closed.
func (m *Map) Len() int {
	if m == nil || m.mem == nil {
		return 0
	}
	if v := m.mem.snapshot.Load(); v != nil {
		return len(v.data)
	}
	return 0
}

// Access returns the access mode as CPython records it: the Access given, or
// for [AccessDefault], [AccessRead] when Prot lacks PROT_WRITE, [AccessWrite] when
// it lacks PROT_READ, and AccessDefault otherwise.
func (m *Map) Access() Access {
	if m == nil {
		return AccessDefault
	}
	return m.cfg.access
}

// Bytes returns the mapped memory itself, without a copy: writing to the
// slice writes to the map (and, for a shared file map, to the file).
//
// The slice is valid until Close or Resize, except that a Resize inside
// [Options.Reserve] keeps it valid. Touching it afterwards crashes the process
// with SIGSEGV: on 64-bit systems the range stays reserved and inaccessible
// for the life of the process, so a stale slice never reads another
// mapping's bytes (it costs one mapping and the address space). Use View for
// a guarded view. Unlike the methods of [Map], indexing the slice is not guarded
// against faults: if the file is truncated under the map, touching the lost
// pages kills the process with SIGBUS. Once Bytes has been called, a Map that
// is dropped without Close is never unmapped, since the slice may still be in
// use. Bytes returns nil once the Map is closed.
func (m *Map) Bytes() []byte {
	if m == nil || m.mem == nil {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed.Load() {
		return nil
	}
	m.mem.escaped.Store(true)
	b := m.mem.data
	if m.mem.mirror {
		b = unsafe.Slice(unsafe.SliceData(b), 2*len(b))
	}
	return b[:len(b):len(b)]
}

// Size returns the size of the file behind the map, which is larger than Len
// when the map starts at an offset or covers only part of the file. For an
// anonymous map it is Len. It fails with [ErrInvalid] for a [Map] made with
// NoTrackFD, which keeps no descriptor to ask.
func (m *Map) Size() (int64, error) {
	if m == nil || m.mem == nil {
		return 0, m.closedError("size")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	switch {
	case m.closed.Load():
		return 0, m.closedError("size")
	case m.cfg.anon:
		return int64(len(m.mem.data)), nil
	case m.mem.fd == noFD:
		return 0, errorf(ErrInvalid, "size", "the map was made with NoTrackFD and has no descriptor")
	}
	size, _, err := statFD(m.mem.fd)
	if err != nil {
		return 0, osError("size", err)
	}
	return size, nil
}

// FileSystem returns the name of the type of the file system that holds
// the map's file, as the system names it ("ext4", "xfs", "tmpfs", "nfs",
// "fuse", …; "" for anonymous memory and where the system does not tell:
// Windows, illumos, AIX), and whether it is remote: a network's (NFS,
// SMB, Ceph, 9p, …) or a user-space server's (FUSE), whose server can fail
// or go away. On Linux the copies out of a remote file's shared or
// read-only map (ReadAt, Read, At, Slice), Find and FindIn, and WriteTo
// read the file by its descriptor, so that a failing server is an error
// returned by a system call rather than a page fault, as LLVM's
// shouldUseMmap declines to map such "volatile" files. Both are found when
// the map is made.
func (m *Map) FileSystem() (name string, remote bool) {
	if m == nil {
		return "", false
	}
	return m.cfg.fsName, m.cfg.remote
}

// roundUp rounds n up to a multiple of unit, a power of two.
func roundUp(n, unit int) int { return (n + unit - 1) &^ (unit - 1) }
