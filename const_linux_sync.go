//go:build linux && !(mips || mipsle || mips64 || mips64le)

package mmap

import "golang.org/x/sys/unix"

// MAP_SYNC, for DAX files; Linux has it on every architecture but MIPS.
const (
	MAP_SYNC = unix.MAP_SYNC
)
