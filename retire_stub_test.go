//go:build !unix

package mmap

import "testing"

// settleRetired: nothing is retired where reads take the lock (Windows), or
// where there is no mmap (retire_unix_test.go has the Unix one).
func settleRetired(*testing.T) {}
