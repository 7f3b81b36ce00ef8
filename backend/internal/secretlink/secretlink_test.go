package secretlink

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestRoundTrip(t *testing.T) {
	tid := uuid.New()
	tok, hash := New(tid)
	if len(tok) != MaxLen {
		t.Fatalf("token length %d, want %d", len(tok), MaxLen)
	}
	got, h, ok := Parse(tok)
	if !ok || got != tid || !bytes.Equal(h, hash) {
		t.Fatalf("Parse(%q) = %v %x %v", tok, got, h, ok)
	}
	tok2, hash2 := New(tid)
	if tok2 == tok || bytes.Equal(hash2, hash) {
		t.Fatal("two tokens are equal")
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	tok, _ := New(uuid.New())
	tid, sec, _ := strings.Cut(tok, ".")
	for _, bad := range []string{"", ".", tok + "x", tok[:len(tok)-1], tid, "zz" + tid[2:] + "." + sec,
		tid + "." + strings.Repeat("!", 43), strings.ToUpper(tid) + "x." + sec} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
