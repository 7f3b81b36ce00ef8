//go:build unix

package pdf_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) this process has used so far. On
// a shared machine it measures the work a benchmark does independently of
// how long it waited for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
