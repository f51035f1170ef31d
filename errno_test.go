//go:build !plan9

package mmap

import "syscall"

// The errors of the system that tests name; plan9's syscall package has
// none of them (errno_plan9_test.go).

// errnos are the errors that the fixed cases of cpython_ops.py record by
// name.
var errnos = map[string]error{"EFBIG": syscall.EFBIG, "EINVAL": syscall.EINVAL, "ENOMEM": syscall.ENOMEM}

// lockLimitErrors are the errors of mlock past RLIMIT_MEMLOCK.
var lockLimitErrors = []error{syscall.EPERM, syscall.ENOMEM}
