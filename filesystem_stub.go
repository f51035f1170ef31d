//go:build !linux && !darwin && !freebsd && !openbsd && !dragonfly && !netbsd

package mmap

// fileSystem: this system's file system is not told (Windows, illumos,
// Solaris, AIX, and the systems without maps).
func fileSystem(int) (name string, remote bool) { return "", false }
