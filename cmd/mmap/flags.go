package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// A small GNU-style option parser: short options (-c), bundled short
// booleans (-co), values attached or not (-e X, -eX, --max-count=N,
// --max-count N), options anywhere among the operands, and "--" to end them.

// option describes one option of a command.
type option struct {
	short rune   // 0 for none
	long  string // the option's name, also its key
	arg   string // the value's name in the help; "" for a boolean
	help  string
}

// options holds what parse found: the values of each option, by long name,
// and the operands.
type options struct {
	values   map[string][]string
	operands []string
}

func (o *options) has(name string) bool { return len(o.values[name]) > 0 }

// value returns the last value given for name, or "".
func (o *options) value(name string) string {
	v := o.values[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// errHelp is returned by parse for -h and --help.
var errHelp = errors.New("help")

func parse(spec []option, args []string) (*options, error) {
	o := &options{values: map[string][]string{}}
	find := func(match func(option) bool) (option, bool) {
		for _, s := range spec {
			if match(s) {
				return s, true
			}
		}
		return option{}, false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			o.operands = append(o.operands, args[i+1:]...)
			return o, nil
		case a == "--help" || a == "-h" && !slices.ContainsFunc(spec, func(s option) bool { return s.short == 'h' }):
			return nil, errHelp // (find's -h is grep's --no-filename)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			s, ok := find(func(s option) bool { return s.long == name })
			if !ok {
				return nil, fmt.Errorf("unknown option --%s", name)
			}
			switch {
			case s.arg == "" && hasVal:
				return nil, fmt.Errorf("option --%s takes no value", name)
			case s.arg != "" && !hasVal:
				if i+1 >= len(args) {
					return nil, fmt.Errorf("option --%s needs a value (%s)", name, s.arg)
				}
				i++
				val = args[i]
			}
			o.values[s.long] = append(o.values[s.long], val)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j, r := range a[1:] {
				s, ok := find(func(s option) bool { return s.short == r })
				if !ok {
					return nil, fmt.Errorf("unknown option -%c", r)
				}
				if s.arg == "" {
					o.values[s.long] = append(o.values[s.long], "")
					continue
				}
				val := a[2+j:]
				if val == "" {
					if i+1 >= len(args) {
						return nil, fmt.Errorf("option -%c needs a value (%s)", r, s.arg)
					}
					i++
					val = args[i]
				}
				o.values[s.long] = append(o.values[s.long], val)
				break
			}
		default:
			o.operands = append(o.operands, a)
		}
	}
	return o, nil
}

// printHelp writes a command's usage line, description and options.
func printHelp(w io.Writer, usage, about string, spec []option) {
	fmt.Fprintf(w, "Usage: mmap %s\n\n%s\n", usage, about)
	if len(spec) == 0 {
		return
	}
	fmt.Fprintln(w, "\nOptions:")
	for _, s := range spec {
		name := "    "
		if s.short != 0 {
			name = fmt.Sprintf("-%c, ", s.short)
		}
		name += "--" + s.long
		if s.arg != "" {
			name += "=" + s.arg
		}
		fmt.Fprintf(w, "  %-26s %s\n", name, s.help)
	}
	if slices.ContainsFunc(spec, func(s option) bool { return s.short == 'h' }) {
		fmt.Fprintf(w, "  %-26s %s\n", "    --help", "show this help")
	} else {
		fmt.Fprintf(w, "  %-26s %s\n", "-h, --help", "show this help")
	}
}
