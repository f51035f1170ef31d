//go:build unix && !linux && !darwin

package mmap

// allocate: the BSDs, Solaris, illumos and AIX grow a file sparse with
// ftruncate, and Resize allocates nothing there: a full disk shows when a
// page is first written, as a fault (ErrFault from the methods of Map).
func allocate(int, int64, int64) error { return nil }
