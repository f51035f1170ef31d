//go:build unix && !(linux || darwin || freebsd || netbsd || dragonfly)

package mmap

import "errors"

// sysResident: this system has no mincore (OpenBSD removed it).
func sysResident([]byte) (int, error) { return 0, errors.ErrUnsupported }
