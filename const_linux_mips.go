//go:build linux && (mips || mipsle || mips64 || mips64le)

package mmap

import "golang.org/x/sys/unix"

// MAP_RENAME, which Linux has on MIPS only.
const (
	MAP_RENAME = unix.MAP_RENAME
)
