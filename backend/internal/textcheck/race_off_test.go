//go:build !race

package textcheck_test

const raceEnabled = false
