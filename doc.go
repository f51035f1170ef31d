// Package mmap maps files and anonymous memory into the address space, with
// every behaviour of Python's mmap module, the interfaces a Go programmer
// expects (io.Reader, io.Writer, io.Seeker, io.ReaderAt, io.WriterAt,
// io.ByteReader, io.WriterTo, iter.Seq), and none of the crashes: a file
// truncated under a map, or a Close racing with a reader, is an error, not a
// dead process.
//
// A [Map] has two faces, like Python's mmap object. As a byte array it has At,
// SetAt, Slice, SetSlice, ReadAt, WriteAt, Move and the search methods; as a
// file it has a position and Read, ReadByte, ReadLine, Write, WriteByte,
// Seek and Tell. Bytes returns the memory itself for code that wants a
// []byte, such as regexp.
//
// # Access modes
//
// [AccessRead] maps read-only: every write returns [ErrReadOnly]. AccessWrite
// maps shared with the file: writes reach the file (and every other map of
// it), and Flush waits until they are on disk. AccessCopy maps copy-on-write:
// writes change the memory only, never the file. AccessDefault lets
// Options.Flags and Options.Prot decide, with MAP_SHARED and
// PROT_READ|PROT_WRITE as defaults; Access then reports what CPython
// records: AccessRead when Prot lacks PROT_WRITE, AccessWrite when it lacks
// PROT_READ.
//
// # Errors
//
// Every error for bad input or misuse wraps one of [ErrClosed], [ErrReadOnly],
// [ErrOutOfRange], [ErrInvalid], [ErrEmptyFile] or [ErrFault], with a message that
// names the operation and the values at fault; errors of the operating
// system keep their identity (errors.Is(err, fs.ErrPermission)). A call that
// fails changes nothing: not the bytes, not the position, not the file's
// size. Writes are all or nothing. No method panics on any argument.
//
// # Faults
//
// When the memory behind a map vanishes — another process truncated the
// file, or the disk failed to read a page — touching it raises SIGBUS, which
// kills a Python or C program. The methods of Map catch it
// (runtime/debug.SetPanicOnFault, for the duration of the call only) and
// return an error wrapping ErrFault; the methods without an error result
// return -1 (Find) or nil (Slice), and Lines stops, and [Map.Err] returns
// the fault. Indexing the slice from Bytes is not guarded: that is the
// caller's risk. A method that returns a count returns only the bytes it
// really copied when it faults (0 where it cannot know where in the copy
// the fault came), and Read and Write leave the position.
//
// A fault says what it was: a page past the end of a truncated file ("the
// file was truncated to N bytes", wrapping no errno), or a page that the
// file system could not read, wrapping its errno: EIO (the device failed),
// ENOTCONN (a FUSE server died), ETIMEDOUT or EIO (an NFS server mounted
// "soft" stopped answering), ESTALE (an NFS file removed on the server).
// Writes fail later, when the system writes the pages back: a Flush that
// fails wraps [ErrLost] and the errno, EIO, ENOSPC (the disk is full:
// the blocks of a sparse file's holes, or a network file system's quota)
// or EDQUOT (the user's quota), and so does every later Flush and Close of
// the Map, since the system may have dropped the bytes (see ErrLost).
//
// A nil *Map, and a zero Map that no constructor made, hold no memory:
// their methods return errors wrapping [ErrInvalid], as os does for a nil
// *File, and never panic.
//
// # Concurrency and lifetime
//
// Every method of Map is safe for concurrent use (Bytes, Err, Close and
// Resize too) except the thirteen that use the current position: Read,
// ReadByte, ReadLine, Lines, LinesErr, Write, WriteString, WriteByte, Seek, Tell,
// Find, RFind and WriteTo, which, like those of bytes.Reader, must not run
// at once with each other. Close and Resize may race with any
// other call, and the calls after Close return ErrClosed. They wait for the
// writes and management calls in progress. On 64-bit Unix the reads (At,
// Slice, ReadAt, Read, ReadByte, ReadLine, the Find methods, Len) take no
// lock: a read that Close overtakes returns what it read or ErrClosed, and
// one that Resize overtakes returns the old bytes or runs again on the new
// mapping. Close and Resize never unmap memory that such a read may still be
// in: they make it inaccessible and unmap it after a garbage collection. A
// read that goes by the file's descriptor instead (Linux, see Performance)
// holds the map while its system call runs, so that the descriptor stays
// open: Close and Resize wait for it, as for a write.
//
// The slice from Bytes, and the lines from Lines, are views of the map, not
// copies. They are valid until Close or Resize (a Resize inside
// Options.Reserve keeps them valid); touching them afterwards crashes the
// process, and on 64-bit systems never reads another mapping's bytes: once a
// view escaped, Close and a moving Resize leave its range reserved and
// inaccessible for the life of the process. They do not keep the Map alive. A Map that becomes
// unreachable without Close is cleaned up (runtime.AddCleanup): its
// descriptor is always closed, and its memory is unmapped only if no view
// ever escaped through Bytes or Lines; otherwise the memory stays mapped
// until the process ends, since a view may still be in use. Call Close.
//
// # Beyond Python
//
// [Shared] makes memory that a child process maps through the descriptor
// from [Map.File] (exec.Cmd.ExtraFiles): the Go form of Python's anonymous map
// shared after fork, which Go cannot do. FlushAsync starts a flush without
// waiting for it. Lock and Unlock pin the pages in RAM (mlock). Protect
// makes the map read-only or writable again, and the Map enforces it.
// Resident counts the pages in memory (mincore). Populate, and
// Options.Populate at construction, read the whole map in so that later
// accesses take no page fault; Options.HugePages backs it with huge pages.
// Lines iterates over lines without copying them, and WriteTo hands the rest
// of the map to a writer in large views.
//
// # Sharing memory
//
// [CreateNamed] and [OpenNamed] share memory between processes that share
// nothing else, by a name: POSIX shared memory on Unix, a section on
// Windows. Where a name lives, and how long:
//
//	system            the memory of "orders" is               it lasts until
//	Linux             /dev/shm/orders (glibc's shm_open)       RemoveNamed, or a reboot
//	FreeBSD, macOS    the kernel's shm_open("/orders") object  RemoveNamed, or a reboot
//	OpenBSD           /tmp/<sha256 of "/orders">.shm (libc's)  RemoveNamed (/tmp: cleared at boot)
//	NetBSD            /var/shm/.shmobj_orders (libc's)         RemoveNamed, or a reboot (tmpfs)
//	DragonFly         /var/run/shm/orders (libc's)             RemoveNamed, or a reboot (tmpfs)
//	illumos, Solaris  /tmp/.SHMDorders                         RemoveNamed, or a reboot (tmpfs)
//	Windows           the section Local\orders                 the last Map of it closes
//	AIX, Android, Plan 9, js, wasip1: errors.ErrUnsupported.
//
// Everywhere but Windows a name outlives every process that used it until
// RemoveNamed removes it; a Map that is open when its name is removed keeps
// its memory, and the next CreateNamed of the name makes new memory. On
// Windows the memory and its name go when the last Map of it is closed, and
// RemoveNamed cannot take the name sooner. Options.RemoveOnClose gives
// both the same shape: the creator's Close removes the name.
//
// Names live where any user can make them (a world-writable directory, a
// session's namespace), so another user may make a name first and wait for
// a program to open it: to feed it data, or to read what it writes. So
// OpenNamed checks what it opened: memory that another user owns, or that
// users other than its owner may write (group or other write permission),
// is an error wrapping fs.ErrPermission that names the owner. On Unix it
// asks fstat (the kernel's objects of FreeBSD and macOS too); on Windows it
// compares the section's owner with the process's user, and CreateNamed
// gives its sections that owner explicitly. Options.SharedAcrossUsers opens
// such memory on purpose, for a program that shares with other users and
// treats the memory as untrusted input. RemoveNamed never removes memory
// that another user owns. [ViewOf] and [SliceOf] give typed views of it, such as
// the atomic head and tail of the queue in ExampleCreateNamed. [Mirror] maps
// memory twice back to back, for ring buffers. [Supports] tells what the
// running system does of each of these, and of the rest.
//
// # Performance
//
// The library decides per operation what to ask of the kernel, unless the
// caller gave advice of its own ([Map.Madvise]): a scan that proves long
// (Find, Lines, WriteTo, runs of Read) gets a helper goroutine that maps the
// pages in front of it (ahead.go; one goroutine for the process, idle on
// its queue, which leak checkers should ignore) and, past 64 MiB,
// MADV_SEQUENTIAL. Find scans for the needle's two rarest bytes at once
// (internal/search) and Lines finds many line ends in one pass
// (internal/lines), with vector code on amd64 and plain Go elsewhere or with
// the build tag purego. Reads take no lock on 64-bit Unix. BENCHMARKS.md
// has the numbers and names the benchmark behind each.
//
// On Linux, a shared or read-only map of a file (not AccessCopy,
// MAP_PRIVATE, NoTrackFD or anonymous memory) is the page cache itself, so
// the library may read the file's descriptor instead of the mapping where
// that is faster, with the same bytes and the same errors (a file cut
// short is ErrFault either way):
//   - Find and FindIn past the first 8 MiB, and WriteTo an *os.File or a
//     network connection, read the file (pread, copy_file_range, sendfile)
//     where a probe of the mapping (a fault, then /proc/self/pagemap) finds
//     the page cache in small folios, and keep to the mapping where it finds
//     large ones, or where pagemap cannot be read (as the copies out do).
//   - Copies out (ReadAt, Read, At, Slice) of 64 KiB or more go by pread,
//     unless a scan populated the range already. Smaller ones go by pread
//     where the file is not in memory, so that the disk's wait happens in
//     a system call, during which the scheduler runs other goroutines (a
//     page fault would hold the goroutine's P), and where the page cache
//     holds small folios, whose page faults cost more than a pread; by the
//     mapping where a fault maps a whole large folio, and in a region read
//     often, which MADV_POPULATE_READ maps whole once it has been read 32
//     times and is in memory. Each 2 MiB region of the map learns which
//     (readpath.go).
//   - A file larger than the memory the page cache can give it: once the
//     copies find pages of the map evicted (every 8th copy by pread of
//     pages read before, and one copy by the mapping in 256, ask mincore),
//     the map is under pressure for a second after the last such eviction:
//     every region goes by pread from its next copy on, its pages dropped
//     from the mapping (MADV_DONTNEED, which leaves them in the page
//     cache), and none goes back to the mapping meanwhile. A fault on an
//     evicted page would hold a P while the disk works, and pages a
//     mapping maps cost the kernel more to reclaim; so the map reads such a
//     file as pread does, and one that fits as a map does (bench -bigger).
//     A map larger than the memory the process may use (the machine's, or
//     its memory cgroup's limit) sends no region by the mapping at its
//     first copy; a region of it read again and again while wholly in
//     memory still goes by the mapping, populated.
//   - Writes (Write, WriteAt, WriteString, SetSlice) into a shared map
//     opened for writing go by pwrite until each page they touch has been
//     written 4 times, and through the mapping after: a page's first write
//     through the mapping is a page fault, which costs several pwrites,
//     and a file written once (a log, an output, a growing database's new
//     pages) never pays one. The map shows the bytes at once, Flush syncs
//     them whichever way they came, and a full disk is ENOSPC from the
//     write itself (wrapping ErrFault) rather than a fault later. Where the
//     page cache holds the file in large folios (the probe of the reads),
//     writes keep to the mapping, which is faster there. A write past the
//     end of a file truncated under the map goes by the mapping, which
//     faults, since pwrite would grow the file; the map asks the file's
//     size at most once a millisecond, so a write within a millisecond of
//     another process's truncation may grow the file back, as pwrite does.
//     Private maps (AccessCopy) never write the file (writepath.go).
//
// The other systems keep to the mapping: their page caches are unified
// with mappings too (FreeBSD, macOS, NetBSD), but these paths are measured
// on Linux only.
//
// # Tracing
//
// Every successful construction ([MapFile], [Anonymous], [Open], [Shared])
// emits a [runtime/trace] log event of category "mmap.new", with the
// message "fd=<fd> length=<n> access=<ACCESS_…> offset=<off>" (fd is -1
// for anonymous memory), when execution tracing is on: the Go form of
// Python's mmap.__new__ audit event. It costs one check when tracing is off.
//
// # Systems
//
// The package is Python's mmap on every system Go supports. On Windows a
// map is a section and a view of it, as in CPython there: Options.TagName
// names the section, Offset is a multiple of the 64 KiB
// AllocationGranularity, a map longer than its file grows the file, Flags
// and Prot must be zero, and Madvise only prefetches. Where mremap is
// missing (everywhere but Linux), Resize maps anew. On js/wasm, wasip1 and
// plan9 every constructor fails with an error wrapping errors.ErrUnsupported.
// The README has the table of what differs, system by system.
//
// # Python's mmap in Go
//
//	Python                              Go
//	mmap.mmap(f.fileno(), n, ...)       MapFile(f, n, &Options{...})
//	mmap.mmap(-1, n)                    Anonymous(n, nil)
//	open + mmap of a whole file         Open(name, access)
//	ACCESS_DEFAULT/READ/WRITE/COPY      AccessDefault, AccessRead, AccessWrite, AccessCopy
//	flags=, prot=, offset=, trackfd=    Options.Flags, .Prot, .Offset, .NoTrackFD
//	tagname= (Windows)                  Options.TagName
//	PAGESIZE, ALLOCATIONGRANULARITY     PageSize, AllocationGranularity
//	MAP_*, PROT_*, MADV_*               MAP_*, PROT_*, MADV_* (the host's)
//	mm.close(), mm.closed               Close(), Closed()
//	len(mm)                             Len()
//	mm[i], mm[i] = b                    At(i), SetAt(i, b)
//	mm[i:j], mm[i:j] = p                Slice(i, j), SetSlice(i, j, p)
//	mm.find(sub[, start[, end]])        Find(sub), FindIn(sub, start, end)
//	mm.rfind(sub[, start[, end]])       RFind(sub), RFindIn(sub, start, end)
//	mm.read(n), mm.read()               Read(p), io.ReadAll(m), WriteTo(w)
//	mm.read_byte(), mm.readline()       ReadByte(), ReadLine(), Lines(), LinesErr()
//	mm.write(b), mm.write_byte(c)       Write(p), WriteString(s), WriteByte(c)
//	mm.seek(pos[, whence]), mm.tell()   Seek(off, whence), Tell()
//	mm.flush([offset[, size]])          Flush(), FlushRange(offset, size)
//	mm.madvise(opt[, start[, length]])  Madvise(opt), MadviseRange(opt, start, length)
//	mm.move(dest, src, count)           Move(dest, src, count)
//	mm.resize(n), mm.size()             Resize(n), Size()
//	re.search(pat, mm)                  regexp.MustCompile(pat).Find(m.Bytes())
//	ValueError, IndexError              ErrOutOfRange, ErrInvalid
//	TypeError (read-only map)           ErrReadOnly
//	ValueError: mmap closed or invalid  ErrClosed
//	SIGBUS                              ErrFault
//
// Where Go has its own convention, the Go form wins: Read, ReadByte and
// ReadLine return io.EOF at the end where Python returns b"" or raises, and
// ReadAt and WriteAt follow io.ReaderAt and io.WriterAt.
package mmap
