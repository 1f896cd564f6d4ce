package fakeclerk

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultJWKSMaxAge is the Cache-Control max-age of /.well-known/jwks.json.
const DefaultJWKSMaxAge = 60 * time.Second

// Config configures a [Server]. SecretKey and Issuer are required.
type Config struct {
	SecretKey       string
	Issuer          string
	AuthorizedParty string
	Now             func() time.Time // nil: time.Now
	Templates       map[string]Template
	JWKSMaxAge      time.Duration // 0: DefaultJWKSMaxAge; negative: no-cache
	RateLimit       RateLimit     // zero: no limit
}

// Server is the fake Clerk. It is safe for concurrent use.
type Server struct {
	secret    []byte
	issuer    string
	azp       string
	jwksCache string
	limiter   *rateLimiter // nil: no limit

	now atomic.Pointer[func() time.Time]
	// listener hears of ended sessions; see SetSessionListener.
	listener   atomic.Pointer[func(eventType, sessionID string)]
	instanceID string
	faults     faultQueue
	stats      counters
	mux        *http.ServeMux

	closeOnce sync.Once
	done      chan struct{} // closed by Close: aborts injected latency

	mu        sync.RWMutex
	sessions  map[string]*session
	templates map[string]*compiledTemplate
	keys      keyRing
}

// New returns a Server with one signing key.
func New(cfg Config) (*Server, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("fakeclerk: empty secret key")
	}
	if cfg.Issuer == "" {
		return nil, errors.New("fakeclerk: empty issuer")
	}
	s := &Server{
		secret:     []byte(cfg.SecretKey),
		issuer:     cfg.Issuer,
		azp:        cfg.AuthorizedParty,
		jwksCache:  cacheControl(cfg.JWKSMaxAge),
		done:       make(chan struct{}),
		instanceID: newID("ins_"),
		sessions:   make(map[string]*session),
		templates:  make(map[string]*compiledTemplate, len(cfg.Templates)),
	}
	s.SetNow(cfg.Now)
	s.limiter = newRateLimiter(cfg.RateLimit)
	for name, tpl := range cfg.Templates {
		if err := s.SetTemplate(name, tpl); err != nil {
			return nil, err
		}
	}
	if _, err := s.RotateKey(); err != nil {
		return nil, err
	}
	s.mux = s.routes()
	return s, nil
}

func cacheControl(maxAge time.Duration) string {
	switch {
	case maxAge < 0:
		return "no-cache"
	case maxAge == 0:
		maxAge = DefaultJWKSMaxAge
	}
	return fmt.Sprintf("public, max-age=%d", int64(maxAge/time.Second))
}

func (s *Server) routes() *http.ServeMux {
	v1 := http.NewServeMux()
	v1.HandleFunc("POST /v1/sessions", s.handleCreateSession)
	v1.HandleFunc("GET /v1/sessions/{id}", s.handleGetSession)
	v1.HandleFunc("POST /v1/sessions/{id}/revoke", s.handleRevokeSession)
	v1.HandleFunc("POST /v1/sessions/{id}/tokens", s.handleCreateToken)
	v1.HandleFunc("POST /v1/sessions/{id}/tokens/{template}", s.handleCreateToken)
	v1.HandleFunc("GET /v1/jwks", s.handleJWKS)
	v1.HandleFunc("GET /v1/jwt_templates", s.handleListTemplates)
	v1.HandleFunc("/", s.handleNotFound)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/jwks.json", s.handleJWKS)
	mux.Handle("/v1/", s.requireSecretKey(s.rateLimit(v1)))
	mux.Handle("/v1", s.requireSecretKey(s.rateLimit(v1)))
	mux.HandleFunc("/", s.handleNotFound)
	return mux
}

// ServeHTTP applies a pending fault, if any, and otherwise answers like
// the Clerk Backend API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.requests.Add(1)
	if f, ok := s.faults.take(r.URL.Path); ok {
		s.stats.faults.Add(1)
		if !wait(r, s.done, f.Latency) {
			// Drop the connection without an answer: a client that is
			// still waiting must see a failure, not an empty 200.
			panic(http.ErrAbortHandler)
		}
		if f.Status != 0 {
			writeFault(w, f)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) requireSecretKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), s.secret) != 1 {
			s.stats.unauthorized.Add(1)
			writeError(w, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleNotFound(w http.ResponseWriter, _ *http.Request) {
	s.stats.notFound.Add(1)
	writeError(w, http.StatusNotFound)
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	s.stats.jwks.Add(1)
	s.mu.RLock()
	body := s.keys.jwks
	s.mu.RUnlock()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Clerk-Trace-Id", newTraceID())
	if !strings.HasPrefix(r.URL.Path, "/v1/") {
		h.Set("Cache-Control", s.jwksCache)
	}
	_, _ = w.Write(body)
}

// Now returns the time on the fake's clock.
func (s *Server) Now() time.Time { return (*s.now.Load())() }

// SetNow replaces the fake's clock; nil means time.Now.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.now.Store(&now)
}

// FailNext makes the next n requests matching f.Path fail with f.
func (s *Server) FailNext(n int, f Fault) { s.faults.add(n, f) }

// ClearFaults drops every pending fault.
func (s *Server) ClearFaults() { s.faults.clear() }

// SetTemplate adds or replaces the template name.
func (s *Server) SetTemplate(name string, tpl Template) error {
	c, err := compileTemplate(name, tpl)
	if err != nil {
		return err
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c.id, c.created, c.updated = newID("jtmp_"), now, now
	if old, ok := s.templates[name]; ok {
		c.id, c.created = old.id, old.created
	}
	s.templates[name] = c
	return nil
}

// DeleteTemplate removes the template name; later requests for it get 404.
func (s *Server) DeleteTemplate(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.templates, name)
}

// RotateKey makes a new signing key active and returns its kid. The JWKS
// keeps publishing the previous keys until [Server.DropKey].
func (s *Server) RotateKey() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys.rotate()
}

// DropKey stops publishing the key kid, which must not be the active one.
func (s *Server) DropKey(kid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys.drop(kid)
}

// KeyIDs lists the published kids, the active one first.
func (s *Server) KeyIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys.kids()
}

// JWKS returns the published key set document.
func (s *Server) JWKS() []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]byte(nil), s.keys.jwks...)
}

// Close aborts injected latency in flight. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}
