//go:build unix

package cputime

import (
	"syscall"
	"time"
)

func process() (time.Duration, bool, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, true, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true, nil
}
