package clerkhasura

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwttemplate"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"golang.org/x/sync/singleflight"

	"github.com/clerkhasura/clerkhasura-go/internal/bodylimit"
	"github.com/clerkhasura/clerkhasura-go/internal/clerkerr"
)

// fromClerk turns an error from session.CreateToken into a [*ClerkError]
// holding what [clerkerr.Read] keeps of it. When ctx is done it returns
// ctx.Err() instead: the caller gave up, Clerk did not fail.
func fromClerk(ctx context.Context, sessionID, template string, err error, now time.Time) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	r := clerkerr.Read(err, now)
	ce := &ClerkError{SessionID: sessionID, Template: template, StatusCode: r.StatusCode, Codes: r.Codes,
		Message: r.Message, TraceID: r.TraceID, RetryAfter: r.RetryAfter, Kind: ErrClerkUnavailable, Err: r.Err}
	switch {
	case r.API:
		ce.Kind = kindOfStatus(ce.StatusCode)
	case r.Err != nil:
		// A body past LimitResponseBodies' cap is no answer of Clerk's,
		// whatever its status; a reply that was not Clerk's JSON (r.Err
		// nil) came from something in between. Both are unavailable.
		ce.StatusCode, _ = bodylimit.Status(err)
	}
	return ce
}

func isAPIError(err error) bool {
	var apiErr *clerk.APIErrorResponse
	return errors.As(err, &apiErr)
}

func kindOfStatus(status int) error {
	switch {
	case status == http.StatusNotFound:
		return ErrSessionGone
	case status == http.StatusUnauthorized:
		return ErrInvalidSecretKey
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return ErrClerkUnavailable
	default:
		return ErrClerkRejected
	}
}

// What a templateCheck knows of its template.
const (
	templateUnknown int32 = iota // not listed yet, or the listing failed for a while
	templateFound                // listed, minted from, or not listable: a 404 means the session
	templateMissing              // listed, and absent
)

// templateCheck tells a JWT template that does not exist from a session
// that does not exist: Clerk answers a mint for either with 404. On the
// first 404 it lists the instance's templates, once for every session of
// a [SessionTokens] (or once per token source), and remembers the answer.
// A missing template is found again as soon as a token is minted from it.
// When the templates cannot be listed (the key may not, or they fill more
// than a page) a 404 stays [ErrSessionGone]; a listing that failed for a
// while (429, 5xx, network) is tried again on a later 404.
type templateCheck struct {
	state atomic.Int32
	group singleflight.Group
}

// minted records that a token was minted from the template.
func (tc *templateCheck) minted() {
	if tc.state.Load() != templateFound {
		tc.state.Store(templateFound)
	}
}

// missing reports whether the template name is known not to exist,
// listing the templates through sessions if nobody has yet.
func (tc *templateCheck) missing(ctx context.Context, sessions *session.Client, name string) bool {
	if st := tc.state.Load(); st != templateUnknown {
		return st == templateMissing
	}
	ch := tc.group.DoChan("", func() (any, error) {
		if tc.state.Load() == templateUnknown {
			// A token minted meanwhile knows better than the listing.
			tc.state.CompareAndSwap(templateUnknown, listTemplates(ctx, sessions, name))
		}
		return nil, nil
	})
	select {
	case <-ch:
		return tc.state.Load() == templateMissing
	case <-ctx.Done():
		return false
	}
}

// listTemplates looks for the template name among the instance's.
func listTemplates(ctx context.Context, sessions *session.Client, name string) int32 {
	client := &jwttemplate.Client{Backend: clerk.GetBackend()}
	if sessions != nil {
		client.Backend = sessions.Backend
	}
	list, err := client.List(ctx, &jwttemplate.ListParams{})
	var ce *ClerkError
	switch {
	case err != nil && errors.As(fromClerk(ctx, "", name, err, time.Now()), &ce) && !ce.Temporary():
		return templateFound // cannot be listed
	case err != nil:
		return templateUnknown
	}
	for _, t := range list.JWTTemplates {
		if t != nil && t.Name == name {
			return templateFound
		}
	}
	if int64(len(list.JWTTemplates)) < list.TotalCount {
		return templateFound // only the first page came: it may be on another
	}
	return templateMissing
}
