package generator_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

func exampleFacts(b *testing.B) generator.Facts {
	raw, err := os.ReadFile("../../../examples/facts-final-de.json")
	if err != nil {
		b.Fatal(err)
	}
	var f generator.Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkGenerate writes the full example reference (final, leader,
// stations, trainings, successes, attributes) in German.
func BenchmarkGenerate(b *testing.B) {
	f := exampleFacts(b)
	lib := generator.MustDefaultLibrary()
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := generator.Generate(f, lib); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkGenerateEnglish is the same facts in English.
func BenchmarkGenerateEnglish(b *testing.B) {
	f := exampleFacts(b)
	f.Language = "en"
	lib := generator.MustDefaultLibrary()
	for b.Loop() {
		if _, err := generator.Generate(f, lib); err != nil {
			b.Fatal(err)
		}
	}
}
