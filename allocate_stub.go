//go:build unix && !linux && !darwin && !(freebsd && (amd64 || arm64 || riscv64))

package mmap

// allocate: OpenBSD, NetBSD, DragonFly, 32-bit FreeBSD, Solaris, illumos
// and AIX grow a file sparse with ftruncate, and Resize allocates nothing
// there: a full disk shows when a page is first written, as a fault
// (ErrFault from the methods of Map).
func allocate(int, int64, int64) error { return nil }
