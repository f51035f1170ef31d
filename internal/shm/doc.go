// Package shm is POSIX shared memory by name, as the system's C library
// makes it, without cgo: Create, Open and Unlink return and take file
// descriptors, which the mmap package maps (CreateNamed, OpenNamed,
// RemoveNamed). Where the C library keeps the objects as files in a tmpfs
// (Linux, DragonFly, NetBSD, OpenBSD, illumos, Solaris: shm_tmpfs.go),
// they are the same files; where the kernel keeps them (FreeBSD, macOS:
// shm_kernel.go), the same system calls. A name has no leading '/'.
// Errors are the system's errnos.
package shm
