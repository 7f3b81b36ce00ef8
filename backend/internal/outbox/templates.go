package outbox

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	"sync"
	texttemplate "text/template"
)

//go:embed templates/*.txt templates/*.html
var defaultFS embed.FS

// Rendered is a message's content, ready to send.
type Rendered struct {
	Subject string
	// Plain is the text/plain part (the whole text of an SMS).
	Plain string
	// HTML is the text/html part; empty for SMS.
	HTML string
}

// Templates are the message templates: for each name and language a
// text/template file `<name>.<lang>.txt` defining "subject" and "text" (or
// "sms" for a text message), and for emails an html/template file
// `<name>.<lang>.html` defining "content" and "footer", placed in the shared
// layout. A missing value in the data is an error, never an empty gap in a
// sent mail.
type Templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

var defaults = sync.OnceValue(func() *Templates {
	t, err := Parse(defaultFS, "templates")
	if err != nil {
		panic(err) // the embedded defaults are tested
	}
	return t
})

// Defaults are the built-in German and English templates: invitation,
// password_reset and account_locked.
func Defaults() *Templates { return defaults() }

// Parse reads the templates under dir of fsys (layout.html plus the files
// described at Templates).
func Parse(fsys fs.FS, dir string) (*Templates, error) {
	t := &Templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	layout, err := fs.ReadFile(fsys, dir+"/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		b, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		switch {
		case name == "layout.html":
		case strings.HasSuffix(name, ".txt"):
			key := strings.TrimSuffix(name, ".txt")
			tt, err := texttemplate.New(key).Option("missingkey=error").Parse(string(b))
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			t.text[key] = tt
		case strings.HasSuffix(name, ".html"):
			key := strings.TrimSuffix(name, ".html")
			ht, err := htmltemplate.New(key).Option("missingkey=error").Parse(string(layout))
			if err == nil {
				ht, err = ht.Parse(string(b))
			}
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			t.html[key] = ht
		}
	}
	return t, nil
}

// errNoTemplate is the cause when a template does not exist.
var errNoTemplate = errors.New("no such template")

// Render renders template name for kind in lang (falling back to the first
// of Languages when the template has no such language) with data.
func (t *Templates) Render(kind Kind, name, lang string, data map[string]string) (Rendered, error) {
	key := name + "." + lang
	if t.text[key] == nil {
		lang = Languages[0]
		key = name + "." + lang
	}
	tt := t.text[key]
	if tt == nil {
		return Rendered{}, fmt.Errorf("%w: %s", errNoTemplate, name)
	}
	exec := func(part string) (string, error) {
		var b bytes.Buffer
		if tt.Lookup(part) == nil {
			return "", fmt.Errorf("%w: %s has no %q", errNoTemplate, key, part)
		}
		err := tt.ExecuteTemplate(&b, part, data)
		return strings.TrimSpace(b.String()), err
	}
	var r Rendered
	var err error
	if kind == SMS {
		r.Plain, err = exec("sms")
		return r, err
	}
	if r.Subject, err = exec("subject"); err != nil {
		return r, err
	}
	// A value with a line break must not reach a header.
	r.Subject = strings.Join(strings.Fields(r.Subject), " ")
	if r.Plain, err = exec("text"); err != nil {
		return r, err
	}
	r.Plain += "\n"
	ht := t.html[key]
	if ht == nil {
		return r, fmt.Errorf("%w: %s has no HTML part", errNoTemplate, key)
	}
	var b bytes.Buffer
	if err := ht.ExecuteTemplate(&b, "layout", map[string]any{"Lang": lang, "Subject": r.Subject, "Data": data}); err != nil {
		return r, err
	}
	r.HTML = b.String()
	return r, nil
}
