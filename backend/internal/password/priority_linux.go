package password

import "syscall"

// lowerThreadPriority sets the calling OS thread to nice 19 (Linux applies
// PRIO_PROCESS with a thread id to that thread only). Failure is harmless:
// the thread keeps the normal priority.
func lowerThreadPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
