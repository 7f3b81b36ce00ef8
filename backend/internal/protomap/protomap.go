// Package protomap holds the conversions every domain's convert.go needs
// between proto messages and domain values: a name-to-enum map read
// backwards, and ids as the strings the proto carries (validated by the
// proto's rules before a handler runs).
package protomap

import "github.com/google/uuid"

// Reverse finds the key of value v in m (the zero key when none has it):
// the proto enum of a stored name, with the map from enum to name as the
// one table of both directions.
func Reverse[K, V comparable](m map[K]V, v V) K {
	for k, x := range m {
		if x == v {
			return k
		}
	}
	var zero K
	return zero
}

// ID parses an id the validator checked already ("" is uuid.Nil).
func ID(s string) uuid.UUID {
	if s == "" {
		return uuid.Nil
	}
	return uuid.MustParse(s)
}

// IDString is an id as the proto carries it (uuid.Nil is "").
func IDString(u uuid.UUID) string {
	if u == uuid.Nil {
		return ""
	}
	return u.String()
}
