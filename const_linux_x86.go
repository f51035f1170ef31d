//go:build linux && (386 || amd64)

package mmap

import "golang.org/x/sys/unix"

// The mmap(2) flags that Linux has on x86 only.
const (
	MAP_32BIT   = unix.MAP_32BIT
	MAP_ABOVE4G = unix.MAP_ABOVE4G
)
