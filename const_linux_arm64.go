package mmap

import "golang.org/x/sys/unix"

// The mprotect(2) flags that Linux has on arm64 only: branch target
// identification and memory tagging.
const (
	PROT_BTI = unix.PROT_BTI
	PROT_MTE = unix.PROT_MTE
)
