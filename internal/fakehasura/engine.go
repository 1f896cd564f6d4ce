package fakehasura

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/vektah/gqlparser/v2/ast"
)

// Config configures an [Engine].
type Config struct {
	// JWT is the parsed HASURA_GRAPHQL_JWT_SECRET. Required unless
	// JWTSecrets is set.
	JWT *JWTConfig
	// JWTSecrets is the parsed HASURA_GRAPHQL_JWT_SECRETS. When it is not
	// empty JWT is ignored, as Hasura ignores HASURA_GRAPHQL_JWT_SECRET
	// when both are set.
	JWTSecrets []*JWTConfig
	// AdminSecret is HASURA_GRAPHQL_ADMIN_SECRET. Empty refuses every
	// request that sends one.
	AdminSecret string
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE.
	UnauthorizedRole string
	// Now is the engine's clock: token exp and nbf, the JWKS expiry, and
	// the value of now() in mutations. Nil means time.Now.
	Now func() time.Time
	// HTTPClient fetches the JWKS. Nil means a client of the engine's own,
	// whose idle connections Close closes.
	HTTPClient *http.Client
	// RefetchOnUnknownKID fetches a jwk_url's JWKS again when a token
	// names a kid the cached set lacks (see [keySet]).
	RefetchOnUnknownKID bool
}

// Engine is the fake Hasura. It is safe for concurrent use.
type Engine struct {
	cfg       Config
	schemas   *schemas
	secrets   []*jwtSecret
	now       atomic.Pointer[func() time.Time]
	cancel    context.CancelFunc
	transport *http.Transport // owned by the engine when Config.HTTPClient is nil

	mu      sync.RWMutex // guards tbl; mutations hold it exclusively
	tbl     *table
	changes notifier
	stats   statsCounter
}

var (
	schemasOnce sync.Once
	loaded      *schemas
	loadErr     error
)

// New starts an engine. Like Hasura at startup it fetches each jwk_url's
// JWKS once, and fails when it cannot.
func New(cfg Config) (*Engine, error) {
	cfgs := cfg.JWTSecrets
	if len(cfgs) == 0 && cfg.JWT != nil {
		cfgs = []*JWTConfig{cfg.JWT}
	}
	if err := checkSecrets(cfgs); err != nil {
		return nil, err
	}
	schemasOnce.Do(func() { loaded, loadErr = loadSchemas() })
	if loadErr != nil {
		return nil, loadErr
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{cfg: cfg, schemas: loaded, cancel: cancel, tbl: &table{}}
	client := cfg.HTTPClient
	if client == nil {
		e.transport = http.DefaultTransport.(*http.Transport).Clone()
		client = &http.Client{Transport: e.transport}
	}
	e.SetNow(cfg.Now)
	for _, c := range uniqueConfigs(cfgs) {
		s := &jwtSecret{cfg: c}
		if c.Key != nil {
			s.static = []jose.JSONWebKey{{Key: c.Key}}
		} else {
			s.jwks = &keySet{url: c.JWKURL, client: client, ctx: ctx, refetchUnknownKID: cfg.RefetchOnUnknownKID}
			s.jwks.mu.Lock()
			err := s.jwks.fetchLocked(e.Now())
			s.jwks.mu.Unlock()
			if err != nil {
				e.Close()
				return nil, err
			}
		}
		e.secrets = append(e.secrets, s)
	}
	return e, nil
}

// Close stops JWKS fetches in flight and closes the engine's idle
// connections. The engine answers requests after Close, from the keys it
// has.
func (e *Engine) Close() {
	e.cancel()
	if e.transport != nil {
		e.transport.CloseIdleConnections()
	}
}

// Now is the time on the engine's clock.
func (e *Engine) Now() time.Time { return (*e.now.Load())() }

// SetNow replaces the engine's clock; nil means time.Now.
func (e *Engine) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	e.now.Store(&now)
}

// Authenticate checks request headers as Hasura's JWT mode does. It serves
// the websocket transport, which passes connection_init's headers.
func (e *Engine) Authenticate(h http.Header) (WSSession, *Error) {
	s, err := e.authenticate(h)
	if err != nil {
		e.stats.record(err.Code)
		return WSSession{}, err
	}
	return WSSession{Expiry: s.Expiry, Session: s}, nil
}

// Execute runs one operation for a session from [Engine.Authenticate] and
// returns the response body. Subscriptions run as queries: a live query
// gets the current result each time it runs.
func (e *Engine) Execute(_ context.Context, s WSSession, req Request) []byte {
	sess, ok := s.Session.(*Session)
	if !ok {
		err := newError(CodeUnexpected, "$", "invalid session")
		return err.Body()
	}
	body, err := e.execute(sess, req, true)
	if err != nil {
		return err.Body()
	}
	return body
}

// Changes returns a channel that receives a value after rows change, with
// at most one signal pending, and a function that stops the signals.
func (e *Engine) Changes() (<-chan struct{}, func()) { return e.changes.subscribe() }

// execute runs one operation. Over HTTP (ws false) a subscription is
// refused after it has been validated, as Hasura refuses it.
func (e *Engine) execute(sess *Session, req Request, ws bool) ([]byte, *Error) {
	body, err := e.run(sess, req, ws)
	if err != nil {
		e.stats.record(err.Code)
		return nil, err
	}
	e.stats.record("")
	return body, nil
}

func (e *Engine) run(sess *Session, req Request, ws bool) ([]byte, *Error) {
	doc, err := parseDocument(req.Query)
	if err != nil {
		return nil, err
	}
	op, err := selectOperation(req.Query, doc, req.OperationName)
	if err != nil {
		return nil, err
	}
	rs := e.schemas.forRole(sess.Role)
	if rs.rootType(op.Operation) == nil {
		if op.Operation == ast.Mutation {
			return nil, validationError("$", "no mutations exist")
		}
		return nil, validationError("$", "no subscriptions exist")
	}
	c, err := prepare(doc, op, rs, req.Variables)
	if err != nil {
		return nil, err
	}
	plan, err := c.parseOperation()
	if err != nil {
		return nil, err
	}
	if err := c.backstop(); err != nil {
		return nil, err
	}
	if op.Operation == ast.Subscription {
		if len(plan) != 1 {
			return nil, validationError("$", "subscriptions must select one top level field")
		}
		if !ws {
			return nil, newError(CodeUnexpectedPayload, "$", "subscriptions are not supported over HTTP, use websockets instead")
		}
	}
	b := &binder{vars: sess.Vars, now: e.Now()}
	if op.Operation != ast.Mutation {
		e.mu.RLock()
		defer e.mu.RUnlock()
		body, _, err := (&txn{rs: rs, tbl: e.tbl, b: b}).runPlan(plan)
		return body, err
	}
	e.mu.Lock()
	t := &txn{rs: rs, tbl: e.tbl.clone(), b: b}
	body, changed, err := t.runPlan(plan)
	if err == nil {
		e.tbl = t.tbl
	}
	e.mu.Unlock()
	if changed {
		e.changes.notify()
	}
	return body, err
}

// Rows returns copies of all rows, in physical order.
func (e *Engine) Rows() []Row {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Row, len(e.tbl.rows))
	for i, r := range e.tbl.rows {
		out[i] = *r.clone()
	}
	return out
}

// Put inserts rows, replacing any row with the same id in place, and
// signals a change.
func (e *Engine) Put(rows ...Row) error {
	for _, r := range rows {
		if r.ID == "" || checkText(r.ID) != nil || (r.Name != nil && checkText(*r.Name) != nil) {
			return errors.New("fakehasura: a row needs a non-empty id, and text without NUL")
		}
	}
	e.mu.Lock()
	for _, r := range rows {
		c := r.clone()
		if i, _ := e.tbl.find(r.ID); i >= 0 {
			e.tbl.rows[i] = c
		} else {
			e.tbl.rows = append(e.tbl.rows, c)
		}
	}
	e.mu.Unlock()
	e.changes.notify()
	return nil
}

// Delete removes the row id and reports whether it existed.
func (e *Engine) Delete(id string) bool {
	e.mu.Lock()
	i, _ := e.tbl.find(id)
	if i >= 0 {
		e.tbl.remove(i)
	}
	e.mu.Unlock()
	if i >= 0 {
		e.changes.notify()
	}
	return i >= 0
}

// ParseTimestamp casts text to timestamp as PostgreSQL does for the forms
// the engine supports, with now() on the engine's clock.
func (e *Engine) ParseTimestamp(s string) (Timestamp, error) {
	ts, err := parseTimestamp(s, e.Now())
	if err != nil {
		return Timestamp{}, errors.New(err.msg)
	}
	return ts, nil
}
