package mmap

import "golang.org/x/sys/unix"

// fsTypeName is the name of fd's file system's type, NUL-padded.
func fsTypeName(fd int) ([]byte, bool) {
	var st unix.Statvfs_t
	if unix.Fstatvfs1(fd, &st, unix.ST_WAIT) != nil {
		return nil, false
	}
	return st.Fstypename[:], true
}
