//go:build unix

package shard

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this id runs here; when
// that cannot be told (another user's process), it is taken as alive.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return !errors.Is(err, syscall.ESRCH)
}
