//go:build unix

package mmap

import "testing"

func init() {
	reserveKinds["private anonymous"] = func(t *testing.T, opts *Options) (*Map, string, error) {
		opts.Flags = MAP_PRIVATE
		m, err := Anonymous(1, opts)
		return m, "", err
	}
}
