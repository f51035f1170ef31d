package mmap

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// A section under a name that another user owns (here: made with the
// owner set to LocalSystem, S-1-5-18, in its security descriptor) is
// refused by OpenNamed and RemoveNamed with fs.ErrPermission, and opened
// with Options.SharedAcrossUsers; the caller's own sections open as before.
func TestNamedOwnerChecked(t *testing.T) {
	name := testName()
	sd, err := windows.SecurityDescriptorFromString("O:SYD:(A;;GA;;;WD)") // owner LocalSystem; everyone may use it
	must(t, err)
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	p, err := windows.UTF16PtrFromString(sectionName(name))
	must(t, err)
	h, err := windows.CreateFileMapping(windows.InvalidHandle, sa, windows.PAGE_READWRITE, 0, uint32(PageSize), p)
	if err != nil {
		t.Skipf("this system does not let a process give its section another owner (%v)", err)
	}
	defer windows.CloseHandle(h)
	if got, err := windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT, windows.OWNER_SECURITY_INFORMATION); err != nil {
		t.Skipf("the section's owner cannot be read: %v", err)
	} else if owner, _, _ := got.Owner(); owner == nil || owner.String() != "S-1-5-18" {
		t.Skipf("the system made the section's owner %v, not the one asked for", owner)
	}
	m, err := OpenNamed(name, nil)
	if err == nil {
		m.Close()
		t.Fatal("OpenNamed of a section that another user owns succeeded")
	}
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "S-1-5-18") {
		t.Errorf("OpenNamed of another user's section: %v, want fs.ErrPermission naming the owner", err)
	}
	if err := RemoveNamed(name); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("RemoveNamed of another user's section: %v, want fs.ErrPermission", err)
	}
	m, err = OpenNamed(name, &Options{SharedAcrossUsers: true})
	must(t, err)
	must(t, m.Close())

	own := testName()
	a, err := CreateNamed(own, PageSize, nil)
	must(t, err)
	defer a.Close()
	b, err := OpenNamed(own, nil)
	must(t, err)
	must(t, b.Close())
	must(t, RemoveNamed(own))
}
