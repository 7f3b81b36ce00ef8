package textcheck_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/rendercmd"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// cpuTime is the CPU time (user + system) this process has used so far, so
// that a benchmark on a shared machine reports its own work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCheck reads the full example reference (the one
// BenchmarkGenerate writes) as `zeugo check` does: printed plain text,
// nothing given but the language, everything else read from the text.
func BenchmarkCheck(b *testing.B) {
	raw, err := os.ReadFile("../../../examples/facts-final-de.json")
	if err != nil {
		b.Fatal(err)
	}
	var f generator.Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		b.Fatal(err)
	}
	d, err := generator.Generate(f, nil)
	if err != nil {
		b.Fatal(err)
	}
	text := rendercmd.Text(d)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := textcheck.CheckText(text, textcheck.Options{Language: "de"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkCheckCorpus reads the references of testdata/corpus, written by
// hand in the ways HR departments write; one op is one reference.
func BenchmarkCheckCorpus(b *testing.B) {
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		_, text, _ := strings.Cut(string(raw), "\n---\n")
		texts = append(texts, text)
	}
	if len(texts) == 0 {
		b.Skip("no corpus")
	}
	b.ReportAllocs()
	c0 := cpuTime()
	i := 0
	for b.Loop() {
		if _, err := textcheck.CheckText(texts[i%len(texts)], textcheck.Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}
