package outbox

import (
	"strings"
	"testing"
)

func TestCustomTemplateHTMLEscapesData(t *testing.T) {
	t.Parallel()
	r, err := RenderCustom("invitation", "de", Custom{Subject: "Hallo {{.Name}}", Text: "Hallo {{.Name}}\n\n{{.Link}}"},
		map[string]string{"Name": `<script>alert("x")</script>`, "Link": `https://x.test/a?b=1&c="2"`, "ExpiresAt": "bald"}, "<i>Firma</i>")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<i>") ||
		!strings.Contains(r.HTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Fatalf("HTML not escaped:\n%s", r.HTML)
	}
	if !strings.Contains(r.HTML, `<a href="https://x.test/a?b=1&amp;c=%222%22">`) {
		t.Fatalf("link:\n%s", r.HTML)
	}
	if r.Subject != `Hallo <script>alert("x")</script>` {
		t.Fatalf("subject %q", r.Subject)
	}
}

func TestDefaultSourcePassesTheChecks(t *testing.T) {
	t.Parallel()
	for _, name := range TemplateNames {
		for _, lang := range Languages {
			c, ok := Defaults().DefaultSource(name, lang)
			if !ok {
				t.Fatalf("%s/%s: no source", name, lang)
			}
			if err := CheckCustom(name, c); err != nil {
				t.Fatalf("%s/%s: %v\n%s", name, lang, err, c.Text)
			}
			// The source renders exactly like the built-in template.
			data := withSender(SampleData(name, lang), "Firma")
			want, err := Defaults().Render(Email, name, lang, data)
			if err != nil {
				t.Fatal(err)
			}
			cc, _ := compileCustom(name, c)
			got, err := cc.render(Email, lang, data)
			if err != nil || got.Subject != want.Subject || got.Plain != want.Plain {
				t.Fatalf("%s/%s: %q %q / %q %q (%v)", name, lang, got.Subject, want.Subject, got.Plain, want.Plain, err)
			}
		}
	}
}
