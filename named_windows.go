package mmap

import (
	"math"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Named shared memory on Windows is a section of the paging file with a
// name in the session's namespace, Local\<name>. It has no unlink: the
// section and its name go when the last handle to it closes.

// sectionQuery is SECTION_QUERY, the access that NtQuerySection needs,
// with SECTION_MAP_READ: OpenFileMapping takes SECTION_QUERY alone for
// FILE_MAP_COPY (the same bit) and turns it into SECTION_MAP_READ.
const sectionQuery = 0x0001 | windows.FILE_MAP_READ

func sectionName(name string) string { return `Local\` + name }

func createNamed(op, name string, size int, cfg config) (*Map, error) {
	cfg.name, cfg.tagName, cfg.anon, cfg.trackFD = name, sectionName(name), true, false
	return newMap(op, noFD, size, cfg, false)
}

func openNamed(op, name string, cfg config) (*Map, error) {
	cfg.name, cfg.tagName, cfg.anon, cfg.trackFD = name, sectionName(name), true, false
	// The handle keeps the section, and so what its name means, while it
	// is checked and mapped.
	h, err := openSection(cfg.tagName, sectionQuery|windows.READ_CONTROL)
	if err != nil {
		return nil, namedError(op, name, err)
	}
	defer windows.CloseHandle(h)
	if !cfg.anyOwner {
		if err := checkOwner(h, false); err != nil {
			return nil, namedError(op, name, err)
		}
	}
	size, err := sectionSize(h)
	if err != nil {
		return nil, namedError(op, name, err)
	}
	if size <= 0 || size > int64(math.MaxInt-cfg.unit) {
		return nil, errorf(ErrInvalid, op, "the section %s has %d bytes, which this process cannot map", cfg.tagName, size)
	}
	return newMap(op, noFD, int(size), cfg, false)
}

// removeNamed: a section's name cannot be removed, only found, and only
// its owner is told that it may be.
func removeNamed(name string) error {
	h, err := openSection(sectionName(name), sectionQuery|windows.READ_CONTROL)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return checkOwner(h, true)
}

// checkOwner refuses the section h to open (or, with remove, to remove)
// unless its owner is this process's user, or the owner that the process
// gives the objects it makes (the Administrators group, for an elevated
// administrator): Local\ names are open to every process of the session.
// Windows decides who may write a section by its access list, which the
// system's default gives its creator alone: this checks the owner only.
func checkOwner(h windows.Handle, remove bool) error {
	sd, err := windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT, windows.OWNER_SECURITY_INFORMATION)
	if err != nil {
		return err
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return err
	}
	if owner == nil { // Wine's sections made without a descriptor
		return &ownerError{"owned by no one (a section made without an owner)", remove}
	}
	token := windows.GetCurrentProcessToken()
	user, err := token.GetTokenUser()
	if err != nil {
		return err
	}
	if owner.Equals(user.User.Sid) {
		return nil
	}
	var buf [16]uintptr // TOKEN_OWNER and its SID, pointer-aligned
	var n uint32
	if windows.GetTokenInformation(token, windows.TokenOwner, (*byte)(unsafe.Pointer(&buf[0])), uint32(unsafe.Sizeof(buf)), &n) == nil {
		if def := (*struct{ Owner *windows.SID })(unsafe.Pointer(&buf[0])).Owner; owner.Equals(def) {
			return nil
		}
	}
	return &ownerError{"owned by " + owner.String() + ", not by this process's user " + user.User.Sid.String(), remove}
}

// removeOwnName: the name goes with the last handle of the section.
func removeOwnName(*memory, string) error { return nil }

// namedSection returns the section of a named map: a new one of size bytes
// for CreateNamed (ERROR_ALREADY_EXISTS when the name is taken), read-write
// whatever the creator's access so that others can map it so, or the
// existing one for OpenNamed.
func namedSection(cfg *config, size uint64, name *uint16) (windows.Handle, error) {
	if cfg.attach {
		return openSectionPtr(name, uint32(cfg.flags)|windows.FILE_MAP_READ)
	}
	// The section's owner is this process's user, said outright: Windows
	// would give it the token's default owner anyway, and Wine no owner at
	// all without it. The access list stays the token's default (the
	// descriptor has none).
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return 0, err
	}
	sd, err := windows.SecurityDescriptorFromString("O:" + user.User.Sid.String())
	if err != nil {
		return 0, err
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	s, err := windows.CreateFileMapping(windows.InvalidHandle, sa, windows.PAGE_READWRITE, uint32(size>>32), uint32(size), name)
	if err == windows.ERROR_ALREADY_EXISTS && s != 0 {
		windows.CloseHandle(s)
	}
	return s, err
}

func openSection(name string, access uint32) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	return openSectionPtr(p, access)
}

func openSectionPtr(name *uint16, access uint32) (windows.Handle, error) {
	h, _, err := procOpenFileMappingW.Call(uintptr(access), 0, uintptr(unsafe.Pointer(name)))
	if h == 0 {
		return 0, err
	}
	return windows.Handle(h), nil
}

// sectionSize returns the size of the section h, as NtQuerySection tells
// it.
func sectionSize(h windows.Handle) (int64, error) {
	var info struct { // SECTION_BASIC_INFORMATION
		base       uintptr
		attributes uint32
		size       int64
	}
	const sectionBasicInformation = 0
	status, _, _ := procNtQuerySection.Call(uintptr(h), sectionBasicInformation,
		uintptr(unsafe.Pointer(&info)), unsafe.Sizeof(info), 0)
	if status != 0 {
		return 0, windows.NTStatus(status)
	}
	return info.size, nil
}
