package mmap

import "golang.org/x/sys/unix"

// superPages is the flag of Options.HugePages on FreeBSD.
const superPages = unix.MAP_ALIGNED_SUPER
