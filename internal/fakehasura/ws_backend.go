package fakehasura

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// WSBackend is what the websocket transport needs from an engine: the
// same authentication and execution as HTTP requests get, and a signal
// when rows change, so that live queries can run again.
type WSBackend interface {
	// Authenticate checks the headers of a websocket connection (those
	// of connection_init's payload, then the upgrade request's) exactly
	// as it checks an HTTP request's, and returns the session they
	// establish. A failure is the error an HTTP request would get.
	Authenticate(h http.Header) (WSSession, *Error)
	// Execute runs one operation for the session and returns the complete
	// response body: {"data":…}, {"data":…,"errors":[…]} or, when the
	// request fails before execution (parse, validation or permission
	// errors), {"errors":[…]} without data.
	Execute(ctx context.Context, s WSSession, req Request) []byte
	// Changes returns a channel that receives a value after rows change,
	// holding at most one pending signal, and a function that stops it.
	Changes() (<-chan struct{}, func())
}

// WSSubscriber is implemented by a backend whose subscriptions keep state
// between runs, as streaming subscriptions keep their cursor. Subscribe
// returns the function that runs a subscription once more: it returns
// the body and whether to send it; a failure before execution must be
// sent on the first run, as Execute returns it.
type WSSubscriber interface {
	Subscribe(s WSSession, req Request) func(ctx context.Context) (body []byte, send bool)
}

// WSSession is a connection's authenticated session.
type WSSession struct {
	// Expiry is when the token's exp passes; the connection is dropped
	// then, without a close frame, as Hasura does. The zero time means
	// the session does not expire (no token, or a token without exp).
	Expiry time.Time
	// Session is the engine's own session value, handed back to Execute.
	Session any
}

// isRequestError reports whether body is an error response without
// data: an operation that failed before execution, which Hasura reports
// with an error message rather than a result.
func isRequestError(body []byte) bool {
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &r) != nil {
		return true
	}
	return len(r.Data) == 0 && len(r.Errors) > 0
}
