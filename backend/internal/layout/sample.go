package layout

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/organization"
)

// sampleFacts is the fictitious certificate a layout preview prints: a
// final reference for "Erika Mustermann", signed by two fictitious people.
//
//go:embed sample.json
var sampleFacts []byte

var (
	sampleOnce sync.Once
	sampleBase generator.Facts
	sampleErr  error
)

// sample writes the sample certificate in lang for company co with n
// signatories: the company's name, description and city stand in it, the
// person and the signatories are fictitious.
//
// The date line's place is the company's city, else the layout's place;
// only a company with neither prints the sample's own town.
func sample(lib *generator.Library, co *organization.Company, place, lang string, n int) (generator.Document, error) {
	sampleOnce.Do(func() {
		dec := json.NewDecoder(strings.NewReader(string(sampleFacts)))
		dec.DisallowUnknownFields()
		sampleErr = dec.Decode(&sampleBase)
	})
	if sampleErr != nil {
		return generator.Document{}, fmt.Errorf("layout: sample facts: %w", sampleErr)
	}
	f := sampleBase
	f.Language = lang
	if co != nil {
		f.Company.Name = co.Fields.Name
		f.Company.Description = nil
		if d := strings.TrimSpace(co.Fields.Description); d != "" {
			f.Company.Description = catalog.T(d)
		}
		if city := strings.TrimSpace(co.Fields.City); city != "" {
			f.Company.City = catalog.T(city)
		} else if place = strings.TrimSpace(place); place != "" {
			f.Company.City = catalog.T(place)
		}
	}
	f.Signatories = f.Signatories[:min(max(n, 1), len(f.Signatories))]
	return generator.Generate(f, lib)
}
