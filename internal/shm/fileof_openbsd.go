package shm

import (
	"crypto/sha256"
	"encoding/hex"
)

// fileOf returns the file of name, as OpenBSD's C library names it: a hash
// of the name, so that this file alone of the package needs crypto (which
// every Linux program importing the package would otherwise link and
// initialise at its start).
func fileOf(name string) string {
	sum := sha256.Sum256([]byte("/" + name))
	return "/tmp/" + hex.EncodeToString(sum[:]) + ".shm"
}
