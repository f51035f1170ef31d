//go:build (unix && !aix && !android) || windows

package mmap

import "io/fs"

// ownerError is the error of named memory that the caller's user does not
// own, or that other users may write: it wraps fs.ErrPermission.
type ownerError struct {
	why    string
	remove bool // refused to RemoveNamed, which only the owner may do
}

func (e *ownerError) Error() string {
	if e.remove {
		return "the memory is " + e.why + ", and only its owner may remove it: permission denied"
	}
	return "the memory is " + e.why + "; Options.SharedAcrossUsers accepts it: permission denied"
}

func (e *ownerError) Unwrap() error { return fs.ErrPermission }
