//go:build freebsd && (amd64 || arm64 || riscv64)

package mmap

import "golang.org/x/sys/unix"

// MAP_32BIT, which FreeBSD has on 64-bit systems.
const (
	MAP_32BIT = unix.MAP_32BIT
)
