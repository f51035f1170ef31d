//go:build (linux && !android) || dragonfly || netbsd || solaris

package shm

import (
	"os"
	"runtime"
)

// fileOf returns the file of name, as the system's C library names it.
func fileOf(name string) string {
	switch runtime.GOOS {
	case "netbsd":
		return "/var/shm/.shmobj_" + name
	case "dragonfly":
		if fi, err := os.Stat("/var/run/shm"); err == nil && fi.IsDir() {
			return "/var/run/shm/" + name
		}
		return "/tmp/" + name
	case "solaris", "illumos":
		return "/tmp/.SHMD" + name
	}
	return "/dev/shm/" + name // Linux
}
