//go:build linux && (ppc || ppc64 || ppc64le)

package mmap

import "golang.org/x/sys/unix"

// PROT_SAO, strong access ordering, on POWER only.
const (
	PROT_SAO = unix.PROT_SAO
)
