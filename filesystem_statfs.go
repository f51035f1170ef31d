//go:build darwin || freebsd || dragonfly

package mmap

import "golang.org/x/sys/unix"

// fsTypeName is the name of fd's file system's type, NUL-padded.
func fsTypeName(fd int) ([]byte, bool) {
	var st unix.Statfs_t
	if unix.Fstatfs(fd, &st) != nil {
		return nil, false
	}
	return st.Fstypename[:], true
}
