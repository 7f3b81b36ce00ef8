package catalog

import (
	"encoding/json"
	"testing"
)

func TestText(t *testing.T) {
	t.Parallel()
	var tx Text
	if err := json.Unmarshal([]byte(`"Köln"`), &tx); err != nil {
		t.Fatal(err)
	}
	if s, ok := tx.In("en"); !ok || s != "Köln" {
		t.Fatalf("%q %v", s, ok)
	}
	if b, _ := json.Marshal(tx); string(b) != `"Köln"` {
		t.Fatalf("%s", b)
	}
	if err := json.Unmarshal([]byte(`{"en":"Cologne","de":"Köln"}`), &tx); err != nil {
		t.Fatal(err)
	}
	if s, _ := tx.In("de"); s != "Köln" {
		t.Fatal(s)
	}
	if _, ok := tx.In("fr"); ok {
		t.Fatal("fr found")
	}
	if b, _ := json.Marshal(tx); string(b) != `{"de":"Köln","en":"Cologne"}` {
		t.Fatalf("%s", b)
	}
	if err := json.Unmarshal([]byte(`42`), &tx); err == nil {
		t.Fatal("number accepted")
	}
	if !(Text{"de": "  "}).IsZero() {
		t.Fatal("blank text not zero")
	}
}

func TestDefaultAndMerge(t *testing.T) {
	t.Parallel()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.Profile("pflegefachkraft")
	if !ok || p.Title["de"].For(Feminine) != "Pflegefachfrau" || p.Title["en"].For(Masculine) != "Registered Nurse" {
		t.Fatalf("%+v", p)
	}
	over := &Catalog{
		JobProfiles: []JobProfile{{ID: "pflegefachkraft", Area: "care", Title: map[string]GenderedTitle{"de": {N: "Pflegekraft"}, "en": {N: "Nurse"}}, Tasks: []Task{{ID: "a", Text: T("x")}}}, {ID: "neu", Area: "it"}},
		Attributes:  []Attribute{{ID: "neugier", Kind: AttributePersonal, Name: T("Neugier")}},
	}
	m, err := Merge(c, over)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Profile("pflegefachkraft"); p.Title["de"].For(Masculine) != "Pflegekraft" {
		t.Errorf("override lost: %+v", p.Title)
	}
	if _, ok := m.Profile("neu"); !ok || len(m.JobProfiles) != len(c.JobProfiles)+1 {
		t.Error("new profile missing")
	}
	if p, _ := c.Profile("pflegefachkraft"); p.Title["de"].For(Masculine) != "Pflegefachmann" {
		t.Error("base modified")
	}
	if _, err := Merge(c, &Catalog{Attributes: []Attribute{{ID: "x", Kind: "mood"}}}); err == nil {
		t.Error("invalid attribute kind accepted")
	}
}

func TestAttributeGradeBand(t *testing.T) {
	t.Parallel()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]bool{
		"humor":             {true, true, false, false, false},
		"hilfsbereitschaft": {true, true, true, false, false},
		"analytik":          {true, true, true, false, false},
	} {
		a, ok := c.Attribute(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		for g := 1; g <= 5; g++ {
			if a.NamedAt(g) != want[g-1] {
				t.Errorf("%s.NamedAt(%d) = %v", id, g, !want[g-1])
			}
		}
	}
	if (Attribute{MaxGrade: 5}).NamedAt(5) != true {
		t.Error("maxGrade 5 not named at 5")
	}
}
