package fleet

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// The browser's renewals, as clerk-js makes them: tokens live 60 s (Clerk's
// session tokens, and the template's default), a cached one is reused while
// more than 15 s of it remain, and the session token's poller looks every
// 5 s.
const (
	browserTokenLifetime = 60 * time.Second
	browserLeeway        = 15 * time.Second
	browserReuse         = browserTokenLifetime - browserLeeway
	pollerInterval       = 5 * time.Second
)

// never is a time past any simulation.
const never = time.Duration(1<<63 - 1)

// browser is one signed-in session. Times are offsets from the start of
// the run, the instants at which its events fall due.
type browser struct {
	id  string
	rng *rand.Rand

	nextRequest time.Duration
	nextPoll    time.Duration // never without a session token to renew

	pollBase     time.Duration // the poller looks at pollBase + k·5 s
	sessionToken string
	sessionAt    time.Duration
	template     string
	templateAt   time.Duration

	// The Authorization headers of the current tokens, made once per
	// token and read by every replica that gets a request with it.
	sessionAuth, templateAuth http.Header
}

// bearer is the header a browser sends with token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// next is the time of the browser's next event.
func (b *browser) next() time.Duration { return min(b.nextRequest, b.nextPoll) }

// renewedSession records a session token obtained at t and schedules the
// poller's renewal: its first look at which the token has less than the
// leeway left.
func (b *browser) renewedSession(token string, t time.Duration) {
	if b.sessionToken == "" {
		b.pollBase = t
	}
	b.sessionToken, b.sessionAt, b.sessionAuth = token, t, bearer(token)
	due := t + browserReuse - b.pollBase
	b.nextPoll = b.pollBase + (due/pollerInterval+1)*pollerInterval
}

// sessionStale reports whether clerk-js would mint a new session token at t.
func (b *browser) sessionStale(t time.Duration) bool {
	return b.sessionToken == "" || t-b.sessionAt > browserReuse
}

// templateStale reports whether getToken({template}) would mint at t.
func (b *browser) templateStale(t time.Duration) bool {
	return b.template == "" || t-b.templateAt > browserReuse
}

// interval draws the time to the next request: uniform within
// [every/2, 3·every/2].
func (b *browser) interval(every time.Duration) time.Duration {
	return every/2 + time.Duration(b.rng.Int64N(int64(every)))
}
