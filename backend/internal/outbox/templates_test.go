package outbox_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// TestDefaultTemplatesRenderInBothLanguages: every default template has a
// German and an English version with subject, plain text and HTML; the
// German ones address the reader formally (Sie); values are escaped in
// HTML and a missing value is an error, not a gap.
func TestDefaultTemplatesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	data := map[string]string{"Sender": "Lese GmbH", "Name": "Erika <b>Mustermann</b>", "Link": "https://zeugo.example/r#t",
		"ExpiresAt": "30.11.2026", "LockedAt": "27.11.2026, 17:00 Uhr"}
	for _, name := range []string{"invitation", "password_reset", "account_locked"} {
		for _, lang := range outbox.Languages {
			r, err := outbox.Defaults().Render(outbox.Email, name, lang, data)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || r.Plain == "" || !strings.Contains(r.HTML, `<html lang="`+lang+`">`) {
				t.Errorf("%s/%s: %+v", name, lang, r)
			}
			if !strings.Contains(r.Plain, "Erika <b>Mustermann</b>") || !strings.Contains(r.HTML, "Erika &lt;b&gt;Mustermann&lt;/b&gt;") {
				t.Errorf("%s/%s: name not verbatim in text or not escaped in HTML:\n%s", name, lang, r.HTML)
			}
			if lang == "de" && (!strings.Contains(r.Plain, "Sie") || strings.Contains(r.Plain, " du ") || strings.Contains(r.Plain, " dein")) {
				t.Errorf("%s/de is not formal:\n%s", name, r.Plain)
			}
			if name != "account_locked" && (!strings.Contains(r.Plain, data["Link"]) || !strings.Contains(r.HTML, `href="`+data["Link"]+`"`)) {
				t.Errorf("%s/%s lacks the link", name, lang)
			}
		}
		if _, err := outbox.Defaults().Render(outbox.Email, name, "de", map[string]string{"Sender": "x"}); err == nil {
			t.Errorf("%s rendered without its values", name)
		}
	}
	// An unknown language falls back to German.
	r, err := outbox.Defaults().Render(outbox.Email, "account_locked", "fr", data)
	if err != nil || !strings.Contains(r.Subject, "gesperrt") {
		t.Fatalf("fallback: %+v, %v", r, err)
	}
	if _, err := outbox.Defaults().Render(outbox.SMS, "invitation", "de", data); err == nil {
		t.Fatal("an email template rendered as SMS")
	}
}

// TestCustomTemplatesWithSMS: a template set may add SMS texts; a value
// with a line break cannot reach the Subject header.
func TestCustomTemplatesWithSMS(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"t/layout.html":  {Data: []byte(`{{define "layout"}}<html lang="{{.Lang}}">{{template "content" .Data}}{{template "footer" .Data}}</html>{{end}}`)},
		"t/code.de.txt":  {Data: []byte(`{{define "sms"}}Ihr Code: {{.Code}}{{end}}`)},
		"t/note.de.txt":  {Data: []byte(`{{define "subject"}}Hinweis {{.X}}{{end}}{{define "text"}}{{.X}}{{end}}`)},
		"t/note.de.html": {Data: []byte(`{{define "content"}}<p>{{.X}}</p>{{end}}{{define "footer"}}{{end}}`)},
	}
	tm, err := outbox.Parse(fsys, "t")
	if err != nil {
		t.Fatal(err)
	}
	r, err := tm.Render(outbox.SMS, "code", "en", map[string]string{"Code": "918273"})
	if err != nil || r.Plain != "Ihr Code: 918273" {
		t.Fatalf("sms: %+v, %v", r, err)
	}
	r, err = tm.Render(outbox.Email, "note", "de", map[string]string{"X": "a\r\nBcc: b@example.com"})
	if err != nil || r.Subject != "Hinweis a Bcc: b@example.com" {
		t.Fatalf("subject %q, %v", r.Subject, err)
	}
}
