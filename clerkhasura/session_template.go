package clerkhasura

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwttemplate"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"golang.org/x/sync/singleflight"
)

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
	client := &jwttemplate.Client{}
	if sessions != nil {
		client.Backend = sessions.Backend
	} else {
		client.Backend = clerk.GetBackend()
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
