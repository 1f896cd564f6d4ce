package fakeclerk

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Clerk's documented Backend API limits ("System limits"): per instance,
// over a sliding window of DefaultRateLimitWindow.
const (
	ProductionRateLimit    = 1000
	DevelopmentRateLimit   = 100
	DefaultRateLimitWindow = 10 * time.Second
)

// RateLimit is Clerk's Backend API rate limit: at most Requests requests
// in any Window. The zero value enforces none.
type RateLimit struct {
	Requests int           // <= 0: no limit
	Window   time.Duration // <= 0: DefaultRateLimitWindow
}

// rateLimiter is a sliding log: a request is admitted while fewer than
// limit requests were admitted within the window before it. Refused
// requests are not logged, so a client that keeps retrying does not push
// its own turn back.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu     sync.Mutex
	stamps []time.Time // admission times, a ring once it holds limit
	oldest int         // index of the oldest stamp once the ring is full
}

// newRateLimiter returns nil for a RateLimit that enforces nothing.
func newRateLimiter(rl RateLimit) *rateLimiter {
	if rl.Requests <= 0 {
		return nil
	}
	if rl.Window <= 0 {
		rl.Window = DefaultRateLimitWindow
	}
	return &rateLimiter{limit: rl.Requests, window: rl.Window}
}

// admit logs a request at now and returns 0, or refuses it and returns
// how long until a slot frees.
func (l *rateLimiter) admit(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.stamps) < l.limit {
		l.stamps = append(l.stamps, now)
		return 0
	}
	if free := l.stamps[l.oldest].Add(l.window); now.Before(free) {
		// A clock set back must not promise a wait longer than a window.
		return min(free.Sub(now), l.window)
	}
	l.stamps[l.oldest] = now
	l.oldest = (l.oldest + 1) % l.limit
	return 0
}

// exempt reports whether Clerk leaves r out of the rate limit: its
// documentation exempts GET /v1/jwks.
func exempt(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/v1/jwks"
}

// rateLimit answers 429 with Retry-After, in whole seconds rounded up,
// once the limit is reached; it passes every request when no limit is
// set. It runs after the secret key check: Clerk counts a request
// against the instance its key names.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !exempt(r) {
			if wait := s.limiter.admit(s.Now()); wait > 0 {
				s.stats.rateLimited.Add(1)
				w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(wait.Seconds())), 10))
				writeError(w, http.StatusTooManyRequests)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
