//go:build openbsd || netbsd || dragonfly

package mmap

// superPages: no flag for Options.HugePages on this system.
const superPages = 0
