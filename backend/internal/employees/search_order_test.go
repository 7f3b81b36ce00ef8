package employees

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// TestNameTokensCarryNoPosition: a row's name tokens are a sorted set, so a
// database reader cannot tell from their order which is a first or last
// name, a short or long prefix (docs/security.md §1.11): swapping the
// names gives the same array, and a shared prefix is stored once.
func TestNameTokensCarryNoPosition(t *testing.T) {
	idx := keyring.NewIndexKey(make([]byte, 32))
	tenant := uuid.New()
	a := nameTokens(idx, tenant, "Anna", "Anders")
	if !slices.IsSorted(a) {
		t.Errorf("tokens not sorted: %v", a)
	}
	if b := nameTokens(idx, tenant, "Anders", "Anna"); !slices.Equal(a, b) {
		t.Errorf("first and last name swapped give other tokens:\n%v\n%v", a, b)
	}
	// anna: an, ann, anna; anders: (an), and, ande, ander, anders.
	if len(a) != 7 {
		t.Errorf("%d tokens, want 7 (the shared prefix once)", len(a))
	}
}
