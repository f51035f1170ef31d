package mmap

import (
	"fmt"
	"io/fs"
	"strings"
)

// Named shared memory: memory that unrelated processes map by a name. The
// package documentation ("Sharing memory") says where names live and how long.

// MaxNameLen is the longest name [CreateNamed], [OpenNamed] and [RemoveNamed]
// take, in bytes: the shortest limit of the systems (macOS takes 31 bytes
// with the leading slash).
const MaxNameLen = 30

// CreateNamed makes size bytes of zero-filled shared memory under name, which
// other processes map with [OpenNamed] while the name lasts (see the table in
// the package documentation, "Sharing memory"). It fails with an
// error for which errors.Is(err, fs.ErrExist) holds when the name is taken.
//
// The memory is created with the permission bits of [Options.Mode] (0600 when
// 0, less the umask; ignored on Windows, where the section gets the default
// security of the process) and mapped as opts says otherwise: [Access],
// Populate, HugePages (transparent ones) and Reserve apply. Options.
// RemoveOnClose makes Close remove the name. Offset, TagName and NoTrackFD
// are [ErrInvalid] here. Resize grows and shrinks the memory on Linux and
// FreeBSD; macOS and Windows fix its size when it is made.
//
// A name must be 1 to [MaxNameLen] bytes, without '/', '\\' or NUL, and not
// "." or "..": ErrInvalid otherwise, on every system. Nothing is left
// behind by a call that fails.
func CreateNamed(name string, size int, opts *Options) (*Map, error) {
	const op = "create named"
	if err := checkName(op, name); err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, errorf(ErrInvalid, op, "size %d must be positive", size)
	}
	cfg, err := resolveNamed(op, size, opts)
	if err != nil {
		return nil, err
	}
	return createNamed(op, name, size, cfg)
}

// OpenNamed maps the whole of the shared memory that [CreateNamed] made under
// name, in this process or another one. It fails with an error for which
// errors.Is(err, [fs.ErrNotExist]) holds when there is no such name. [Access]
// and the mapping options apply as for CreateNamed; [AccessRead] and
// [AccessCopy] open the memory read-only. The map's length is the memory's
// size as the system keeps it: on Windows and macOS that may be the size
// CreateNamed was given rounded up to a page, so two processes that share
// a layout should agree on its size rather than read it from Len (as
// Python's shared_memory rounds on Windows). On FreeBSD and macOS, where
// creating and sizing the memory are two steps, an OpenNamed between them
// fails with [ErrEmptyFile]: try again.
func OpenNamed(name string, opts *Options) (*Map, error) {
	const op = "open named"
	if err := checkName(op, name); err != nil {
		return nil, err
	}
	cfg, err := resolveNamed(op, 0, opts)
	if err != nil {
		return nil, err
	}
	if cfg.removeName {
		return nil, errorf(ErrInvalid, op, "RemoveOnClose is for the map that CreateNamed makes")
	}
	cfg.attach = true
	return openNamed(op, name, cfg)
}

// RemoveNamed removes name, so that [OpenNamed] no longer finds it and
// [CreateNamed] can make it anew. The maps of it that are open keep their
// memory, which is freed when the last one is closed. A name that does not
// exist is an error for which errors.Is(err, [fs.ErrNotExist]) holds. On
// Windows a section's name lasts as long as the section: RemoveNamed returns
// nil when the name exists, and the name goes when its last [Map] is closed.
func RemoveNamed(name string) error {
	const op = "remove named"
	if err := checkName(op, name); err != nil {
		return err
	}
	if err := removeNamed(name); err != nil {
		return namedError(op, name, err)
	}
	return nil
}

// Name returns the name of a map that [CreateNamed] or [OpenNamed] made, or "".
func (m *Map) Name() string {
	if m == nil {
		return ""
	}
	return m.cfg.name
}

// checkName applies the rules of names, the same on every system.
func checkName(op, name string) error {
	switch {
	case name == "":
		return errorf(ErrInvalid, op, "empty name")
	case len(name) > MaxNameLen:
		return errorf(ErrInvalid, op, "name %q is %d bytes, more than MaxNameLen (%d)", name, len(name), MaxNameLen)
	case strings.ContainsAny(name, "/\\\x00"):
		return errorf(ErrInvalid, op, "name %q holds '/', '\\' or NUL", name)
	case name == "." || name == "..":
		return errorf(ErrInvalid, op, "name %q is not a name", name)
	}
	return nil
}

// resolveNamed resolves the options of CreateNamed and OpenNamed.
func resolveNamed(op string, size int, opts *Options) (config, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Offset != 0:
		return config{}, errorf(ErrInvalid, op, "offset %d: named memory is mapped whole", o.Offset)
	case o.TagName != "":
		return config{}, errorf(ErrInvalid, op, "TagName %q: the name is the tag", o.TagName)
	case o.NoTrackFD:
		return config{}, errorf(ErrInvalid, op, "NoTrackFD: named memory keeps its descriptor")
	case o.Mode&^fs.ModePerm != 0:
		return config{}, errorf(ErrInvalid, op, "mode %v has bits other than permissions", o.Mode)
	}
	cfg, err := resolve(op, size, &o, false)
	if err != nil {
		return cfg, err
	}
	cfg.mode = o.Mode
	if cfg.mode == 0 {
		cfg.mode = 0o600
	}
	cfg.removeName = o.RemoveOnClose
	cfg.anyOwner = o.SharedAcrossUsers
	return cfg, nil
}

// namedError is the error of creating or opening name.
func namedError(op, name string, err error) error {
	return fmt.Errorf("mmap: %w", &fs.PathError{Op: op, Path: name, Err: err})
}
