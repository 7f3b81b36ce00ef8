package paging

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

func TestLimitDefaultsAndCaps(t *testing.T) {
	t.Parallel()
	for size, want := range map[int]int{-1: DefaultSize, 0: DefaultSize, 1: 1, 200: 200, 201: MaxSize, 1 << 30: MaxSize} {
		if got := (Request{Size: size}).Limit(); got != want {
			t.Errorf("Limit(%d) = %d, want %d", size, got, want)
		}
	}
}

func TestTokenRoundTripAndRefusals(t *testing.T) {
	t.Parallel()
	key := make([]byte, 32)
	key[0] = 1
	c, err := NewCodec(key)
	if err != nil {
		t.Fatal(err)
	}
	cur := Cursor{Key: "Müller GmbH", ID: uuid.Must(uuid.NewV7())}
	tok := c.Encode("companies/name/asc/q=", cur)
	got, err := c.Decode("companies/name/asc/q=", tok)
	if err != nil || *got != cur {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if first, err := c.Decode("x", ""); first != nil || err != nil {
		t.Fatalf("empty token: %v, %v", first, err)
	}
	other, _ := NewCodec(make([]byte, 32))
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 1
	for name, try := range map[string]func() (*Cursor, error){
		"other scope":  func() (*Cursor, error) { return c.Decode("companies/name/desc/q=", tok) },
		"other key":    func() (*Cursor, error) { return other.Decode("companies/name/asc/q=", tok) },
		"tampered":     func() (*Cursor, error) { return c.Decode("companies/name/asc/q=", string(flipped)) },
		"not base64":   func() (*Cursor, error) { return c.Decode("companies/name/asc/q=", "%%%") },
		"too short":    func() (*Cursor, error) { return c.Decode("companies/name/asc/q=", "AAAA") },
		"plain cursor": func() (*Cursor, error) { return c.Decode("companies/name/asc/q=", `eyJrIjoiYSJ9`) },
	} {
		if cur, err := try(); cur != nil || !apperr.Is(err, apperr.InvalidArgument) {
			t.Errorf("%s: %v, %v; want InvalidArgument", name, cur, err)
		}
	}
}

func TestTokenHidesTheSortKey(t *testing.T) {
	t.Parallel()
	c, _ := NewCodec(make([]byte, 32))
	tok := c.Encode("s", Cursor{Key: "Schmidt", ID: uuid.Nil})
	if strings.Contains(tok, "Schmidt") || strings.Contains(tok, "U2NobWlkd") {
		t.Fatalf("token %q reveals the sort key", tok)
	}
}
