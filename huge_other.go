//go:build unix && !linux && !darwin && !freebsd

package mmap

// superPages: no flag for Options.HugePages on this system.
const superPages = 0
