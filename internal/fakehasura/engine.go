package fakehasura

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
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
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE. Empty means
	// the Project's UnauthorizedRole.
	UnauthorizedRole string
	// Project is the Hasura project served: its tables, relationships,
	// permissions and introspection settings. Nil means examples/hasura.
	// Engines may share a project; none changes it.
	Project *hasuraproject.Project
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
	cat       *catalog
	schemas   *schemas
	seqs      sequences
	secrets   []*jwtSecret
	now       atomic.Pointer[func() time.Time]
	cancel    context.CancelFunc
	transport *http.Transport // owned by the engine when Config.HTTPClient is nil

	mu      sync.RWMutex // guards st; mutations hold it exclusively
	st      *store
	changes notifier
	stats   statsCounter
}

// projectState is what engines serving one project share: its catalog
// and its role schemas, generated once.
type projectState struct {
	once    sync.Once
	cat     *catalog
	schemas *schemas
	err     error
}

// projects caches the state of the projects engines were last started
// with, most recent last, so that a test suite starting an engine per
// test generates each project's schemas once, and one loading a project
// per test does not keep them all.
var projects struct {
	mu    sync.Mutex
	order []*hasuraproject.Project
	state map[*hasuraproject.Project]*projectState
}

const cachedProjects = 16

func stateOf(p *hasuraproject.Project) (*catalog, *schemas, error) {
	projects.mu.Lock()
	if projects.state == nil {
		projects.state = map[*hasuraproject.Project]*projectState{}
	}
	ps := projects.state[p]
	if ps == nil {
		ps = &projectState{}
		projects.state[p] = ps
	} else {
		projects.order = slices.DeleteFunc(projects.order, func(q *hasuraproject.Project) bool { return q == p })
	}
	projects.order = append(projects.order, p)
	if len(projects.order) > cachedProjects {
		delete(projects.state, projects.order[0])
		projects.order = projects.order[1:]
	}
	projects.mu.Unlock()
	ps.once.Do(func() {
		ps.cat = newCatalog(p)
		ps.schemas, ps.err = newSchemas(ps.cat)
	})
	return ps.cat, ps.schemas, ps.err
}

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
	if cfg.Project == nil {
		p, err := DefaultProject()
		if err != nil {
			return nil, err
		}
		cfg.Project = p
	}
	if cfg.UnauthorizedRole == "" {
		cfg.UnauthorizedRole = cfg.Project.UnauthorizedRole
	}
	cat, sch, err := stateOf(cfg.Project)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{cfg: cfg, cat: cat, schemas: sch, cancel: cancel, st: newStore(cat)}
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

// Project is the project the engine serves.
func (e *Engine) Project() *hasuraproject.Project { return e.cfg.Project }

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
// returns the response body. A subscription runs as a query would: a
// live query gets the current result each time it runs, and a streaming
// subscription its first batch (see [Engine.Subscribe]).
func (e *Engine) Execute(_ context.Context, s WSSession, req Request) []byte {
	sess, ok := s.Session.(*Session)
	if !ok {
		err := newError(CodeUnexpected, "$", "invalid session")
		return err.Body()
	}
	body, err := e.execute(sess, req, runMode{ws: true})
	if err != nil {
		return err.Body()
	}
	return body
}

// Changes returns a channel that receives a value after rows change, with
// at most one signal pending, and a function that stops the signals.
func (e *Engine) Changes() (<-chan struct{}, func()) { return e.changes.subscribe() }

// runMode says how an operation arrived: over a websocket (where
// subscriptions are allowed), and with a streaming subscription's cursor.
type runMode struct {
	ws     bool
	cursor *streamCursor
}

func (e *Engine) execute(sess *Session, req Request, mode runMode) ([]byte, *Error) {
	body, err := e.run(sess, req, mode)
	if err != nil {
		e.stats.record(err.Code)
		return nil, err
	}
	e.stats.record("")
	return body, nil
}

func (e *Engine) run(sess *Session, req Request, mode runMode) ([]byte, *Error) {
	doc, err := parseDocument(req.Query)
	if err != nil {
		return nil, err
	}
	op, err := selectOperation(req.Query, doc, req.OperationName)
	if err != nil {
		return nil, err
	}
	rs, gerr := e.schemas.forRole(sess.Role)
	if gerr != nil {
		return nil, newError(CodeUnexpected, "$", "%s", gerr.Error())
	}
	if rs.rootType(op.Operation) == nil {
		if op.Operation == ast.Mutation {
			return nil, validationError("$", "no mutations exist")
		}
		return nil, validationError("$", "no subscriptions exist")
	}
	c, err := prepare(doc, op, rs, e.cat, req.Variables)
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
	sub := op.Operation == ast.Subscription
	if sub {
		if len(plan) != 1 {
			return nil, validationError("$", "subscriptions must select one top level field")
		}
		if !mode.ws {
			return nil, newError(CodeUnexpectedPayload, "$", "subscriptions are not supported over HTTP, use websockets instead")
		}
	}
	t := &txn{cat: e.cat, seqs: &e.seqs, rs: rs, cursor: mode.cursor}
	t.b = &binder{vars: sess.Vars, now: e.Now(), tx: t}
	if op.Operation != ast.Mutation {
		e.mu.RLock()
		defer e.mu.RUnlock()
		t.st = e.st
		return t.runPlan(plan, sub)
	}
	e.mu.Lock()
	t.st = e.st.fork()
	body, err := t.runPlan(plan, false)
	if err == nil {
		e.st = t.st
	}
	e.mu.Unlock()
	if err == nil && t.changed {
		e.changes.notify()
	}
	return body, err
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
