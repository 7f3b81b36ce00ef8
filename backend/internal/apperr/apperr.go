// Package apperr defines the one error type domain code returns. An Error
// carries a Code (what kind of failure), a Message that is safe to show to the
// caller, optional field violations, and the underlying cause, which is never
// shown to the caller. The rpc package maps Codes to Connect codes once, at
// the edge; domains never build Connect errors themselves.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error. The set mirrors the Connect codes a domain may
// legitimately produce.
type Code int

const (
	// Internal is a failure the caller cannot fix; its details are logged, not returned.
	Internal Code = iota
	// InvalidArgument: the request is malformed or violates a rule.
	InvalidArgument
	// NotFound: the thing does not exist or the caller may not know it exists.
	NotFound
	// AlreadyExists: a unique property is taken.
	AlreadyExists
	// PermissionDenied: the caller is known but may not do this.
	PermissionDenied
	// Unauthenticated: the caller is not (or no longer) signed in.
	Unauthenticated
	// FailedPrecondition: the system is not in a state that allows the action.
	FailedPrecondition
	// Aborted: a concurrent change won (optimistic concurrency).
	Aborted
	// ResourceExhausted: a rate limit or quota was hit.
	ResourceExhausted
	// Unavailable: a dependency is temporarily unreachable; retrying may help.
	Unavailable
)

var codeNames = [...]string{"internal", "invalid_argument", "not_found", "already_exists",
	"permission_denied", "unauthenticated", "failed_precondition", "aborted",
	"resource_exhausted", "unavailable"}

// String returns the snake_case name of the code.
func (c Code) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("code(%d)", int(c))
}

// FieldViolation names one request field that is wrong and why. Field is a
// dotted path in proto field names (e.g. "fields.name"); RuleID is a stable
// machine-readable id the clients translate (e.g. "zeugo.unique").
type FieldViolation struct {
	Field   string
	RuleID  string
	Message string
}

// Error is the error type of the domain layer.
type Error struct {
	Code       Code
	Message    string
	Violations []FieldViolation
	Cause      error
	// RetryAfter, when positive, tells a ResourceExhausted caller how long
	// to wait (sent as the Retry-After header).
	RetryAfter time.Duration
}

// Error implements error. It includes the cause for logs; clients only ever
// see Message.
func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an error with a code and a caller-safe message.
func New(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Wrap returns an error with a code and caller-safe message that keeps cause
// for logging.
func Wrap(code Code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Cause: cause}
}

// Field returns an InvalidArgument-style error (with the given code) about
// one field, e.g. Field(AlreadyExists, "fields.name", "zeugo.unique", "name is already taken").
func Field(code Code, field, ruleID, message string) *Error {
	return &Error{Code: code, Message: message,
		Violations: []FieldViolation{{Field: field, RuleID: ruleID, Message: message}}}
}

// CodeOf returns the code of err, Internal for errors that are not *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err is an *Error with the given code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Common, reusable errors. Messages are English; clients localise by code
// and rule id.
var (
	// ErrUnauthenticated is the one answer to every failed sign-in and every
	// invalid or revoked credential: it never says which part was wrong.
	ErrUnauthenticated = New(Unauthenticated, "not signed in or credentials invalid")
	// ErrPermissionDenied is returned when a role lacks the area a call needs.
	ErrPermissionDenied = New(PermissionDenied, "your role does not allow this action")
	// ErrReadOnly is returned for writes while a tenant is terminated.
	ErrReadOnly = New(FailedPrecondition, "the account is terminated and read-only")
	// ErrConcurrentChange is returned when an update carries a stale version.
	ErrConcurrentChange = New(Aborted, "the entry was changed by someone else; reload and try again")
)
