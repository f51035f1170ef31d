package mmap

// plan9 has no errno (errno_test.go), nor mmap: nothing to name.
var (
	errnos          = map[string]error{}
	lockLimitErrors []error
)
