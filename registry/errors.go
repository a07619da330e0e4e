package registry

import "errors"

// Code classifies an error by what the caller can do about it. The HTTP
// layers map each code to a status in one place; everything below them
// returns an *Error (or wraps one) instead of a message to be matched.
type Code string

const (
	ENotFound Code = "not_found" // no such record, revision or framework
	EInvalid  Code = "invalid"   // the caller's input is wrong; Fields says where
	EInternal Code = "internal"  // anything else: the caller cannot fix it
	EConflict Code = "conflict"  // the register's state forbids it now (a retracted id, a record others cite)
	// EUnauthorized: the request must be signed in (or its token is not
	// valid); EForbidden: who it is signed in as may not do this.
	EUnauthorized Code = "unauthorized"
	EForbidden    Code = "forbidden"
	// ETooMany: the client sent more than its rate allows; it may retry
	// after a while.
	ETooMany Code = "too_many"
	// EUnsupported: the request's body is of a media type the endpoint
	// does not take.
	EUnsupported Code = "unsupported_media_type"
)

// Error is an error with a code, and for EInvalid the fields at fault.
type Error struct {
	Code    Code
	Message string // for people; says what is wrong, not how the program failed
	Fields  Errors // the fields at fault; Path is the input's name ("cursor", "year_from")

	class bool // a sentinel that every error of its code matches
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	if e.Message == "" {
		return e.Fields.Error()
	}
	return e.Message + ": " + e.Fields.Error()
}

// Is makes errors.Is(err, ErrNotFound) true for any not-found error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.class && t.Code == e.Code
}

// ErrNotFound matches, with errors.Is, every error of code ENotFound.
var ErrNotFound = &Error{Code: ENotFound, Message: "not found", class: true}

// NotFound returns a not-found error saying what was missing.
func NotFound(what string) *Error { return &Error{Code: ENotFound, Message: what + " not found"} }

// Invalid returns an EInvalid error naming the fields at fault.
func Invalid(message string, fields ...*FieldError) *Error {
	return &Error{Code: EInvalid, Message: message, Fields: fields}
}

// Conflict returns an EConflict error saying what stands in the way.
func Conflict(message string) *Error { return &Error{Code: EConflict, Message: message} }

// InvalidField returns an EInvalid error about one field.
func InvalidField(field, message string, allowed ...string) *Error {
	return &Error{Code: EInvalid, Fields: Errors{{Path: field, Msg: message, Allowed: allowed}}}
}

// ErrBadCursor is returned for a cursor the register did not make.
var ErrBadCursor = InvalidField("cursor", "not a cursor this server returned")

// ErrorCode returns the code of the first *Error in err's chain, or
// EInternal when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}
