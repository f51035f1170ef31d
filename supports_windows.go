package mmap

import (
	"sync"

	"golang.org/x/sys/windows"
)

// What Supports answers on Windows beyond the table of supports.go.

// placeholders reports, once, whether VirtualAlloc2 gives placeholders
// here, which Reserve needs and Mirror prefers.
var placeholders = sync.OnceValue(func() bool {
	span, err := reserveSpan(granularity)
	if err != nil {
		return false
	}
	windows.VirtualFree(addr(span), 0, windows.MEM_RELEASE)
	return true
})

// supportsHere answers for what placeholders decide.
func supportsHere(f Feature) (Support, bool) {
	switch f {
	case FeatureReserve:
		if placeholders() {
			return SupportNative, true
		}
		return SupportNone, true
	case FeatureMirror:
		if placeholders() {
			return SupportNative, true
		}
		return SupportEmulated, true
	}
	return 0, false
}
