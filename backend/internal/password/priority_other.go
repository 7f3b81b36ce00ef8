//go:build !linux

package password

// lowerThreadPriority is a no-op where per-thread priorities are not
// available; the worker count still bounds the hashing.
func lowerThreadPriority() {}
