package mmap

import (
	"runtime"
	"strconv"
	"unsafe"
)

// Feature is an operation, or an option, whose support differs between
// systems. [Supports] tells how the running system does one; the README's
// table ("What each system does") gives every system's answers.
type Feature int

// The features, by the calls and options they stand for.
const (
	FeatureFileMap       Feature = iota // MapFile, Open
	FeatureAnonymous                    // Anonymous
	FeatureShared                       // Shared, and File for a child process
	FeatureNamed                        // CreateNamed, OpenNamed, RemoveNamed
	FeatureMirror                       // Mirror
	FeatureReserve                      // Options.Reserve: Resize without moving
	FeatureResident                     // Resident, ResidentRange
	FeatureLock                         // Lock, Unlock
	FeatureProtect                      // Protect
	FeaturePopulate                     // Populate, Options.Populate
	FeatureWillNeed                     // Madvise(MADV_WILLNEED)
	FeatureDontNeed                     // Madvise(MADV_DONTNEED)
	FeatureAccessPattern                // Madvise(MADV_SEQUENTIAL), Madvise(MADV_RANDOM)
	FeatureAllocate                     // Allocate
	FeatureHugePages                    // Options.HugePages
	featureCount
)

var featureNames = [featureCount]string{"FeatureFileMap", "FeatureAnonymous", "FeatureShared",
	"FeatureNamed", "FeatureMirror", "FeatureReserve", "FeatureResident", "FeatureLock", "FeatureProtect",
	"FeaturePopulate", "FeatureWillNeed", "FeatureDontNeed", "FeatureAccessPattern", "FeatureAllocate",
	"FeatureHugePages"}

// String returns the name of the constant, as "FeatureNamed".
func (f Feature) String() string {
	if f < 0 || f >= featureCount {
		return "Feature(" + strconv.Itoa(int(f)) + ")"
	}
	return featureNames[f]
}

// Features returns every [Feature], in the order of their constants.
func Features() []Feature {
	fs := make([]Feature, featureCount)
	for i := range fs {
		fs[i] = Feature(i)
	}
	return fs
}

// Support is how a system does a Feature.
type Support int

// The answers of [Supports].
const (
	// SupportNone: the calls fail with an error wrapping
	// [errors.ErrUnsupported]; an option ([Options.HugePages]) is ignored.
	SupportNone Support = iota
	// SupportEmulated: done with other calls than the feature's own,
	// with the differences that the documentation of the calls gives
	// ([Map.Resident] counts the working set on Windows, say).
	SupportEmulated
	// SupportNative: done by the system's own call for it.
	SupportNative
)

// String returns "ErrUnsupported", "emulated" or "native", the words of the
// README's table.
func (s Support) String() string {
	switch s {
	case SupportNone:
		return "ErrUnsupported"
	case SupportEmulated:
		return "emulated"
	case SupportNative:
		return "native"
	}
	return "Support(" + strconv.Itoa(int(s)) + ")"
}

// Supports reports how this system does f; an unknown [Feature] is
// [SupportNone]. Most answers depend on the system alone; on Windows,
// Reserve and [Mirror] depend on placeholders (VirtualAlloc2, Windows 10
// 1803 and later, 64-bit), which Supports tries once.
func Supports(f Feature) Support {
	if s, ok := supportsHere(f); ok {
		return s
	}
	return supportOn(runtime.GOOS, f, unsafe.Sizeof(uintptr(0)) == 8)
}

// supportOn is the answer for a system (a GOOS) and word size, before
// what only the running system can tell.
func supportOn(goos string, f Feature, is64 bool) Support {
	switch goos {
	case "plan9", "js", "wasip1":
		return SupportNone
	}
	unix := goos != "windows"
	pick := func(native []string, emulated ...string) Support {
		for _, g := range native {
			if g == goos || g == "unix" && unix {
				return SupportNative
			}
		}
		for _, g := range emulated {
			if g == goos || g == "unix" && unix {
				return SupportEmulated
			}
		}
		return SupportNone
	}
	switch f {
	case FeatureFileMap, FeatureAnonymous, FeatureLock, FeatureProtect:
		return SupportNative
	case FeatureShared:
		return pick([]string{"linux", "android"}, "unix", "windows")
	case FeatureNamed:
		return pick([]string{"linux", "darwin", "ios", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos",
			"windows"})
	case FeatureMirror:
		return pick([]string{"unix", "windows"})
	case FeatureReserve:
		if goos == "windows" && !is64 {
			return SupportNone
		}
		return pick([]string{"unix", "windows"})
	case FeatureResident:
		return pick([]string{"linux", "android", "darwin", "ios", "freebsd", "netbsd", "dragonfly"}, "windows")
	case FeaturePopulate:
		return pick([]string{"linux", "android"}, "unix", "windows")
	case FeatureWillNeed, FeatureDontNeed:
		return pick([]string{"unix"}, "windows")
	case FeatureAccessPattern:
		return pick([]string{"unix"})
	case FeatureAllocate:
		if goos == "freebsd" && !is64 {
			return SupportNone
		}
		return pick([]string{"linux", "android", "darwin", "ios", "freebsd", "windows"})
	case FeatureHugePages:
		return pick([]string{"linux", "android", "freebsd"})
	}
	return SupportNone
}
