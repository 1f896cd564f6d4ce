package clerkhasura_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// skewedClerk is a fake Clerk whose clock runs skew ahead of clock.
func skewedClerk(t *testing.T, clock *testkit.Clock, skew time.Duration) *clerkhasuratest.Clerk {
	return clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock.Offset(skew)})
}

func TestSessionTokenSourceAnchorsExpiryOnLocalClock(t *testing.T) {
	for _, skew := range []time.Duration{-10 * time.Minute, 0, 10 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			clock := testkit.NewClock()
			fc := skewedClerk(t, clock, skew)
			sid := fc.CreateSession("user_1")
			src := sources.Session(t, fc.SessionClient(), sid, "hasura", &clerkhasura.SessionSourceOptions{Clock: clock})

			tok, err := src.Token(context.Background())
			require.NoError(t, err)
			assert.Equal(t, clock.Now().Add(59*time.Second), tok.Expiry, "local now + exp − iat − 1 s")

			var hasura struct {
				Claims map[string]any `json:"https://hasura.io/jwt/claims"`
			}
			c, err := jwtclaims.Peek(tok.Value, &hasura)
			require.NoError(t, err)
			assert.Equal(t, clock.Now().Add(skew).Add(time.Minute).Unix(), c.Expiry.Unix(), "Clerk's own clock")
			assert.Equal(t, "user_1", hasura.Claims["x-hasura-user-id"])
			assert.Equal(t, int64(1), fc.Stats().TokensMinted)
		})
	}
}

// clockAdvancer moves a clock while a request is on its way to Clerk.
type clockAdvancer struct {
	base  http.RoundTripper
	clock *testkit.Clock
	by    time.Duration
}

func (a clockAdvancer) RoundTrip(r *http.Request) (*http.Response, error) {
	a.clock.Advance(a.by)
	return a.base.RoundTrip(r)
}

// TestSessionTokenSourceAnchorsExpiryAtRequestStart has the request take
// 3 s: Clerk's iat is 3 s after the request started, and the token's
// Expiry is the start plus exp − iat, never later.
func TestSessionTokenSourceAnchorsExpiryAtRequestStart(t *testing.T) {
	clock := testkit.NewClock()
	fc := skewedClerk(t, clock, 0)
	cfg := fc.BackendConfig()
	cfg.HTTPClient = &http.Client{Transport: clockAdvancer{base: fc.HTTPClient().Transport, clock: clock, by: 3 * time.Second}}
	client := session.NewClient(&clerk.ClientConfig{BackendConfig: cfg})
	src := sources.Session(t, client, fc.CreateSession("user_1"), "hasura", &clerkhasura.SessionSourceOptions{Clock: clock})

	t0 := clock.Now()
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	c, err := jwtclaims.Peek(tok.Value)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(3*time.Second).Unix(), c.IssuedAt.Unix(), "Clerk saw the request 3 s later")
	assert.Equal(t, t0.Add(c.Expiry.Sub(c.IssuedAt)-time.Second), tok.Expiry, "start + exp − iat − 1 s")
	assert.Equal(t, t0.Add(59*time.Second), tok.Expiry)
}

// TestSessionTokenSourceExpiryNeverAfterExp has Clerk mint at every
// fraction of a second: iat and exp are whole seconds, the mint instant
// rounded down, so a token minted at x.999 s expires 0.999 s sooner than
// exp − iat after it. The Expiry must never be later than the instant exp
// names, on any lifetime.
func TestSessionTokenSourceExpiryNeverAfterExp(t *testing.T) {
	for _, lifetime := range []time.Duration{2 * time.Second, 60 * time.Second} {
		for _, frac := range []time.Duration{0, time.Millisecond, 500 * time.Millisecond, 999 * time.Millisecond, time.Second - time.Nanosecond} {
			t.Run(fmt.Sprint(lifetime, "/", frac), func(t *testing.T) {
				clock := testkit.NewClock()
				clock.Advance(frac)
				fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{
					Clock: clock,
					Templates: map[string]clerkhasuratest.Template{
						"hasura": {Claims: clerkhasuratest.HasuraTemplate().Claims, Lifetime: lifetime},
					},
				})
				src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasura", &clerkhasura.SessionSourceOptions{Clock: clock})
				tok, err := src.Token(context.Background())
				require.NoError(t, err)
				c, err := jwtclaims.Peek(tok.Value)
				require.NoError(t, err)
				exp := time.Unix(c.Expiry.Unix(), 0)
				assert.False(t, tok.Expiry.After(exp), "Expiry %s is after exp %s", tok.Expiry, exp)
				assert.False(t, tok.Expiry.Before(exp.Add(-time.Second)), "no more than 1 s is given up")
			})
		}
	}
}

// TestSessionTokenSourceLifetimeBelowClerkMinimum: Clerk refuses
// expires_in_seconds under 30 with a 422, a permanent caller error.
func TestSessionTokenSourceLifetimeBelowClerkMinimum(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	for _, lifetime := range []time.Duration{29 * time.Second, 500 * time.Millisecond} {
		t.Run(lifetime.String(), func(t *testing.T) {
			src := sources.Session(t, fc.SessionClient(), sid, "hasura", &clerkhasura.SessionSourceOptions{Lifetime: lifetime})
			_, err := src.Token(context.Background())
			require.ErrorIs(t, err, clerkhasura.ErrClerkRejected)
			var ce *clerkhasura.ClerkError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, 422, ce.StatusCode)
			assert.Equal(t, []string{"form_param_value_invalid"}, ce.Codes)
			assert.False(t, ce.Temporary())
		})
	}
	tok, err := sources.Session(t, fc.SessionClient(), sid, "hasura", &clerkhasura.SessionSourceOptions{Lifetime: 30 * time.Second}).Token(context.Background())
	require.NoError(t, err, "Clerk's minimum")
	assert.True(t, time.Now().Before(tok.Expiry))
}

func TestSessionTokenSourceLifetimeOption(t *testing.T) {
	clock := testkit.NewClock()
	fc := skewedClerk(t, clock, 0)
	src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasura", &clerkhasura.SessionSourceOptions{Clock: clock, Lifetime: 90 * time.Second})
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, clock.Now().Add(89*time.Second), tok.Expiry)
}

func TestSessionTokenSourcePackageLevelClient(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	cfg := fc.BackendConfig()
	clerk.SetBackend(clerk.NewBackend(&cfg))
	t.Cleanup(func() { clerk.SetBackend(nil) })

	tok, err := sources.Session(t, nil, fc.CreateSession("user_1"), "hasura", nil).Token(context.Background())
	require.NoError(t, err)
	assert.True(t, time.Now().Before(tok.Expiry))
	assert.Equal(t, int64(1), fc.Stats().TokensMinted)
}

// wrongKeyClient is a session client for fc with a secret key it refuses.
func wrongKeyClient(fc *clerkhasuratest.Clerk) (*session.Client, string) {
	const key = "sk_test_wrongWrongWrongWrongWrongWrong00"
	cfg := fc.BackendConfig()
	cfg.Key = clerk.String(key)
	return session.NewClient(&clerk.ClientConfig{BackendConfig: cfg}), key
}

func TestSessionTokenSourceErrors(t *testing.T) {
	const proxyPage = "<html><body>502 Bad Gateway: upstream said sk_test_leaky eyJhbGciOi.leak.sig</body></html>"
	tests := []struct {
		name       string
		fault      *clerkhasuratest.Fault
		setup      func(fc *clerkhasuratest.Clerk, sid string) (*session.Client, string, string)
		kind       error
		status     int
		temporary  bool
		retryAfter time.Duration
		says       string
		lists      int64 // pages of templates listed to tell a template from a session
	}{
		{name: "404 fault", fault: &clerkhasuratest.Fault{Status: 404}, kind: clerkhasura.ErrSessionGone, status: 404, lists: 1},
		{name: "revoked session", kind: clerkhasura.ErrSessionGone, status: 404, lists: 1,
			setup: func(fc *clerkhasuratest.Clerk, sid string) (*session.Client, string, string) {
				fc.RevokeSession(sid)
				return fc.SessionClient(), sid, "hasura"
			}},
		{name: "unknown template", kind: clerkhasura.ErrTemplateNotFound, status: 404, lists: 1,
			setup: func(fc *clerkhasuratest.Clerk, sid string) (*session.Client, string, string) {
				return fc.SessionClient(), sid, "nope"
			}},
		{name: "401 fault", fault: &clerkhasuratest.Fault{Status: 401}, kind: clerkhasura.ErrInvalidSecretKey, status: 401},
		{name: "wrong secret key", kind: clerkhasura.ErrInvalidSecretKey, status: 401,
			setup: func(fc *clerkhasuratest.Clerk, sid string) (*session.Client, string, string) {
				c, _ := wrongKeyClient(fc)
				return c, sid, "hasura"
			}},
		{name: "429", fault: &clerkhasuratest.Fault{Status: 429, RetryAfter: 7 * time.Second},
			kind: clerkhasura.ErrRateLimited, status: 429, temporary: true, retryAfter: 7 * time.Second},
		{name: "500", fault: &clerkhasuratest.Fault{Status: 500}, kind: clerkhasura.ErrClerkUnavailable, status: 500, temporary: true},
		{name: "503 with Retry-After", fault: &clerkhasuratest.Fault{Status: 503, RetryAfter: 2 * time.Second},
			kind: clerkhasura.ErrClerkUnavailable, status: 503, temporary: true, retryAfter: 2 * time.Second},
		{name: "HTML 502 from a proxy", fault: &clerkhasuratest.Fault{Status: 502, Body: proxyPage},
			kind: clerkhasura.ErrClerkUnavailable, status: 0, temporary: true},
		{name: "422", fault: &clerkhasuratest.Fault{Status: 422}, kind: clerkhasura.ErrClerkRejected, status: 422},
		{name: "422 for a lifetime Clerk refuses", kind: clerkhasura.ErrClerkRejected, status: 422, says: "is invalid",
			setup: func(fc *clerkhasuratest.Clerk, sid string) (*session.Client, string, string) {
				return fc.SessionClient(), sid, "hasura"
			}},
		// A garbled 200 most likely came from a proxy: temporary.
		{name: "not a JWT", fault: &clerkhasuratest.Fault{Status: 200, Body: `{"object":"token","jwt":"eyJhbGciOi.leak.sig"}`},
			kind: clerkhasura.ErrMalformedToken, status: 200, temporary: true},
		{name: "no exp", fault: &clerkhasuratest.Fault{Status: 200, Body: `{"object":"token","jwt":"` + noExpJWT + `"}`},
			kind: clerkhasura.ErrMalformedToken, status: 200, temporary: true, says: "no exp claim"},
		{name: "exp not after iat", fault: &clerkhasuratest.Fault{Status: 200, Body: `{"object":"token","jwt":"` + expAtIatJWT + `"}`},
			kind: clerkhasura.ErrMalformedToken, status: 200, temporary: true, says: "exp is not after iat"},
		{name: "no iat, exp past", fault: &clerkhasuratest.Fault{Status: 200, Body: `{"object":"token","jwt":"` + pastNoIatJWT + `"}`},
			kind: clerkhasura.ErrMalformedToken, status: 200, temporary: true,
			says: "no iat claim, and exp is not after the local time the request started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := clerkhasuratest.NewClerk(t, nil)
			sid := fc.CreateSession("user_1")
			good, err := sources.Session(t, fc.SessionClient(), sid, "hasura", nil).Token(context.Background())
			require.NoError(t, err)
			client, id, tpl := fc.SessionClient(), sid, "hasura"
			if tt.setup != nil {
				client, id, tpl = tt.setup(fc, sid)
			}
			if tt.fault != nil {
				fc.FailNext(1, *tt.fault)
			}
			before := fc.Stats().Requests

			var opts *clerkhasura.SessionSourceOptions
			if tt.status == 422 && tt.fault == nil {
				opts = &clerkhasura.SessionSourceOptions{Lifetime: 29 * time.Second}
			}
			_, err = sources.Session(t, client, id, tpl, opts).Token(context.Background())
			require.ErrorIs(t, err, tt.kind)
			assert.Contains(t, err.Error(), tt.says)
			var ce *clerkhasura.ClerkError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.status, ce.StatusCode)
			assert.Equal(t, tt.temporary, ce.Temporary())
			assert.Equal(t, tt.retryAfter, ce.RetryAfter)
			assert.Equal(t, id, ce.SessionID)
			assert.Equal(t, tpl, ce.Template)
			assert.Equal(t, before+1+tt.lists, fc.Stats().Requests, "one request, no retry")
			assert.Equal(t, tt.lists, fc.Stats().TemplateLists)
			if tt.status >= 400 {
				assert.NotEmpty(t, ce.Codes)
				assert.NotEmpty(t, ce.TraceID)
				var apiErr *clerk.APIErrorResponse
				assert.ErrorAs(t, err, &apiErr, "Clerk's error stays reachable")
			}
			assertNoSecrets(t, err, fc.SecretKey(), good.Value, proxyPage, "eyJhbGciOi", "sk_test_")
		})
	}
}

// Well-formed JWTs with unusable times: no exp; exp equal to iat
// ({"iat":1700000000,"exp":1700000000}); no iat and exp in 1970
// ({"exp":1}).
const (
	noExpJWT     = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln"
	expAtIatJWT  = "eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDAwMH0.c2ln"
	pastNoIatJWT = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln"
)

func TestSessionTokenSourceInputErrors(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	tests := []struct{ name, sid, tpl, field string }{
		{"empty session", "", "hasura", "session ID"},
		{"slash", "sess_1/../users", "hasura", "session ID"},
		{"query", "sess_1?x=1", "hasura", "session ID"},
		{"fragment", "sess_1#x", "hasura", "session ID"},
		{"a token as the session", "eyJhbGciOi.eyJzdWIi.c2ln", "hasura", "session ID"},
		{"template slash", "sess_1", "a/b", "template"},
		{"template percent", "sess_1", "a%2F", "template"},
		{"template dot dot", "sess_1", "..", "template"},
		{"template newline", "sess_1", "a\nb", "template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), tt.sid, tt.tpl, nil)
			assert.Nil(t, src, "refused when made")
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			var ie *clerkhasura.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			if tt.sid != "" {
				assert.NotContains(t, err.Error(), tt.sid)
			}
		})
	}
	assert.Zero(t, fc.Stats().Requests, "nothing was sent")

	_, err := sources.Session(t, fc.SessionClient(), fc.CreateSession("u"), "", nil).Token(context.Background())
	require.NoError(t, err, "an empty template asks for the session token")
}

func TestSessionTokenSourceContext(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	src := sources.Session(t, fc.SessionClient(), fc.CreateSession("u"), "hasura", nil)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := src.Token(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, fc.Stats().TokensMinted)

	fc.FailNext(1, clerkhasuratest.Fault{Latency: time.Minute})
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = src.Token(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, context.DeadlineExceeded, err, "the caller's own ctx.Err()")
}

// assertNoSecrets fails if err, any error it wraps, or its %#v form shows
// any of secrets; the second is a token, none of whose parts may show.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	texts := []string{fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	walkErrors(err, func(e error) { texts = append(texts, e.Error()) })
	for _, text := range texts {
		for _, s := range secrets {
			assert.NotContains(t, text, s)
		}
		for _, part := range strings.Split(secrets[1], ".") {
			assert.NotContains(t, text, part, "a part of the token")
		}
	}
}

func walkErrors(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walkErrors(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walkErrors(e, f)
		}
	}
}

func TestSessionTokensInvalidTemplate(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	st, err := clerkhasura.NewSessionTokens(fc.SessionClient(), "a/b", nil)
	assert.Nil(t, st, "refused when made")
	var ie *clerkhasura.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "template", ie.Field)
	assert.Zero(t, fc.Stats().TokensMinted)
}

func TestSessionTokenSourceNetworkErrors(t *testing.T) {
	t.Run("client timeout", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		cfg := fc.BackendConfig()
		cfg.HTTPClient = &http.Client{Transport: fc.HTTPClient().Transport, Timeout: 20 * time.Millisecond}
		client := session.NewClient(&clerk.ClientConfig{BackendConfig: cfg})
		fc.FailNext(1, clerkhasuratest.Fault{Latency: time.Minute})
		_, err := sources.Session(t, client, fc.CreateSession("u"), "hasura", nil).Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
		var ce *clerkhasura.ClerkError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.Temporary())
		assert.Zero(t, ce.StatusCode)
		var ne net.Error
		require.ErrorAs(t, err, &ne, "the network error stays reachable")
		assert.True(t, ne.Timeout())
		assertNoSecrets(t, err, fc.SecretKey(), "eyJ.none.none")
	})
	t.Run("connection refused", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		sid := fc.CreateSession("u")
		client := fc.SessionClient()
		fc.Close()
		_, err := sources.Session(t, client, sid, "hasura", nil).Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
		assertNoSecrets(t, err, fc.SecretKey(), "eyJ.none.none")
	})
}
