package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Causes carried inside *Error, for errors.Is.
var (
	ErrNotFound  = errors.New("storage: not found")
	ErrForbidden = errors.New("storage: access denied")
	ErrNoBucket  = errors.New("storage: no such bucket")
	ErrNoCreds   = errors.New("storage: credentials missing or rejected")
	ErrShort     = errors.New("storage: object ends before the bytes asked for")
	ErrRetries   = errors.New("storage: gave up after retries")
)

// Error is a failure to reach some bytes of one object. URL never holds
// credentials (see Redact).
type Error struct {
	Op     string // "stat", "list", "read"
	URL    string
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: offset %d: %v", e.Op, e.URL, e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// statusError is an unsuccessful answer from a server.
type statusError struct {
	code  int
	msg   string
	cause error         // a sentinel above, or nil
	after time.Duration // Retry-After, if the server sent one
}

func (e *statusError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%v (HTTP %d %s)", e.cause, e.code, e.msg)
	}
	return fmt.Sprintf("HTTP %d %s", e.code, e.msg)
}

func (e *statusError) Unwrap() error { return e.cause }

// retryable says whether trying again may help: server errors, throttling
// and broken connections may pass; a missing object or a refusal will not.
func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.code >= 500 || se.code == 429 || se.code == 408
	}
	return !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) &&
		!errors.Is(err, ErrNoBucket) && !errors.Is(err, ErrNoCreds) &&
		!errors.Is(err, ErrShort) && !errors.Is(err, context.Canceled) &&
		!errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, errPermanent)
}

// errPermanent marks errors that no retry will mend (a malformed URL).
var errPermanent = errors.New("storage: permanent")

func statusCause(code int) error {
	switch code {
	case 401, 403:
		return ErrForbidden
	case 404, 410:
		return ErrNotFound
	case 416:
		return ErrShort
	}
	return nil
}
