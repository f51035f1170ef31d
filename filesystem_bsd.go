//go:build darwin || freebsd || openbsd || dragonfly || netbsd

package mmap

import (
	"bytes"
	"strings"
)

// fileSystem names the file system of fd, as fstatfs (statvfs on NetBSD)
// gives its type's name, and tells whether it is one whose reads and
// writes cross a network or a process (see filesystem_linux.go).
func fileSystem(fd int) (name string, remote bool) {
	b, ok := fsTypeName(fd)
	if !ok {
		return "", false
	}
	name = string(b[:max(0, bytes.IndexByte(b, 0))])
	switch {
	case name == "nfs", name == "smbfs", name == "cifs", name == "afpfs", name == "webdav", name == "9p",
		name == "p9fs", name == "ceph", name == "afs", name == "macfuse", name == "osxfuse", name == "puffs",
		strings.HasPrefix(name, "fuse"):
		return name, true
	}
	return name, false
}
