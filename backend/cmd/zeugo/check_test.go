package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckCommand: `zeugo check` is wired without configuration or
// database: exit 0 for a clean text, 1 for findings, 2 without a file.
func TestCheckCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.txt")
	os.WriteFile(clean, []byte("Arbeitszeugnis\n\nHerr Jan Gut war vom 1. März 2018 bis zum 31. Mai 2024 bei uns als Lagerist tätig.\n\nEr erledigte alle Aufgaben stets zu unserer vollsten Zufriedenheit.\n\nSein Verhalten gegenüber Vorgesetzten und Kollegen war stets vorbildlich.\n\nHerr Gut verlässt uns auf eigenen Wunsch. Wir bedauern sein Ausscheiden, danken ihm und wünschen ihm alles Gute.\n"), 0o644)
	coded := filepath.Join(dir, "coded.txt")
	os.WriteFile(coded, []byte("Arbeitszeugnis\n\nHerr Jan Gut war vom 1. März 2018 bis zum 31. Mai 2024 bei uns als Lagerist tätig.\n\nEr bemühte sich, die Aufgaben zu unserer Zufriedenheit zu erledigen.\n\nSein Verhalten gegenüber Vorgesetzten und Kollegen war korrekt.\n\nWir wünschen ihm alles Gute.\n"), 0o644)
	if code, out, errs := zeugo(t, map[string]string{}, "check", clean); code != 0 || !strings.Contains(out, "Gesamtnote: 1") {
		t.Fatalf("clean: %d %q %q", code, out, errs)
	}
	if code, out, _ := zeugo(t, map[string]string{}, "check", coded, "--json"); code != 1 || !strings.Contains(out, `"effort"`) {
		t.Fatalf("coded: %d %q", code, out)
	}
	if code, _, errs := zeugo(t, map[string]string{}, "check"); code != 2 || !strings.Contains(errs, "usage: zeugo check") {
		t.Fatalf("no file: %d %q", code, errs)
	}
	if code, out, _ := zeugo(t, map[string]string{}, "help"); code != 0 || !strings.Contains(out, "check ") {
		t.Fatalf("help lists no check: %q", out)
	}
}
