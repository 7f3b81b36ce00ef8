package textcheck

// memo remembers what the checker read from the sentences of one text (the
// company test and the grade): reading a pasted text guesses kind and
// sections from the same sentences it then checks. One memo serves one call
// (see withMemo), so it needs no lock and never grows beyond one text.
type memo map[string]*memoEntry

type memoEntry struct {
	company, companySet bool
	grade               SentenceReport
	graded              bool
}

func (m memo) get(s string) (memoEntry, bool) {
	e, ok := m[s]
	if !ok {
		return memoEntry{}, false
	}
	return *e, true
}

func (m memo) put(s string, set func(*memoEntry)) {
	if m == nil {
		return
	}
	e := m[s]
	if e == nil {
		e = &memoEntry{}
		m[s] = e
	}
	set(e)
}

// withMemo returns a copy of the lexicon (its tables are shared, read-only)
// with a fresh memo for one call.
func (lx *lexicon) withMemo() *lexicon {
	l := *lx
	l.memo = memo{}
	return &l
}
