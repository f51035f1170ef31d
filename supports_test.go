package mmap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Supports says what the calls do: a feature is SupportNone exactly when
// its call fails with errors.ErrUnsupported.
func TestSupportsMatchesTheCalls(t *testing.T) {
	path := filepath.Join(tempDir(t), "f")
	must(t, os.WriteFile(path, make([]byte, 4*PageSize), 0o644))
	use := func(m *Map, err error) error {
		if err == nil {
			m.Close()
		}
		return err
	}
	onMap := func(call func(m *Map) error) func() error {
		return func() error {
			m, err := Open(path, AccessWrite)
			if err != nil {
				return err
			}
			defer m.Close()
			return call(m)
		}
	}
	probes := map[Feature]func() error{
		FeatureFileMap:   func() error { return use(Open(path, AccessRead)) },
		FeatureAnonymous: func() error { return use(Anonymous(PageSize, nil)) },
		FeatureShared:    func() error { return use(Shared(PageSize)) },
		FeatureNamed: func() error {
			return use(CreateNamed(testName(), PageSize, &Options{RemoveOnClose: true}))
		},
		FeatureMirror:        func() error { return use(Mirror(PageSize)) },
		FeatureReserve:       func() error { return use(Anonymous(PageSize, &Options{Reserve: 1 << 20})) },
		FeatureResident:      onMap(func(m *Map) error { return second2(m.Resident()) }),
		FeatureLock:          onMap(func(m *Map) error { return errors.Join(m.Lock(), m.Unlock()) }),
		FeatureProtect:       onMap(func(m *Map) error { return m.Protect(AccessRead) }),
		FeaturePopulate:      onMap(func(m *Map) error { return m.Populate() }),
		FeatureWillNeed:      onMap(func(m *Map) error { return m.Madvise(MADV_WILLNEED) }),
		FeatureDontNeed:      onMap(func(m *Map) error { return m.Madvise(MADV_DONTNEED) }),
		FeatureAccessPattern: onMap(func(m *Map) error { return m.Madvise(MADV_SEQUENTIAL) }),
		FeatureAllocate:      onMap(func(m *Map) error { return m.Allocate(0, PageSize) }),
	}
	for _, f := range Features() {
		probe, ok := probes[f]
		if !ok {
			continue // HugePages: an option that is ignored where unsupported
		}
		err := probe()
		if got := errors.Is(err, errors.ErrUnsupported); got != (Supports(f) == SupportNone) {
			t.Errorf("%v: Supports says %v, the call says %v", f, Supports(f), err)
		} else if !got && err != nil {
			t.Errorf("%v: %v", f, err)
		}
	}
	if Supports(featureCount) != SupportNone || Supports(-1) != SupportNone {
		t.Error("an unknown Feature is supported")
	}
	if s := fmt.Sprint(FeatureNamed, SupportNative, SupportEmulated, SupportNone, Feature(99)); s != "FeatureNamed native emulated ErrUnsupported Feature(99)" {
		t.Errorf("String: %s", s)
	}
}

func second2[A, B any](_ A, _ B, err error) error { return err }

// supportColumns are the README table's systems: a GOOS for each.
var supportColumns = []struct{ name, goos string }{
	{"Linux", "linux"}, {"macOS", "darwin"}, {"FreeBSD", "freebsd"}, {"OpenBSD", "openbsd"},
	{"NetBSD", "netbsd"}, {"DragonFly", "dragonfly"}, {"illumos, Solaris", "illumos"}, {"AIX", "aix"},
	{"Windows", "windows"}, {"Plan 9, js, wasip1", "plan9"},
}

// supportTable renders the README's table from supportOn (64-bit).
func supportTable() string {
	var b strings.Builder
	b.WriteString("| feature |")
	for _, c := range supportColumns {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(supportColumns)) + "\n")
	for _, f := range Features() {
		b.WriteString("| `" + f.String() + "` |")
		for _, c := range supportColumns {
			b.WriteString(" " + supportOn(c.goos, f, true).String() + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The README's table is supportOn's, so that they cannot drift apart.
func TestSupportTableInREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	must(t, err)
	if want := supportTable(); !strings.Contains(string(readme), want) {
		t.Errorf("README.md lacks the table of Supports; it should read:\n%s", want)
	}
	// illumos and Solaris answer alike, as the column says.
	for _, f := range Features() {
		if supportOn("illumos", f, true) != supportOn("solaris", f, true) {
			t.Errorf("%v: illumos and Solaris differ", f)
		}
	}
}
