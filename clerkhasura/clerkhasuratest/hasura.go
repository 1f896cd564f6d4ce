package clerkhasuratest

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// defaultAdminSecret is the admin secret of a fake [Hasura] unless
// [HasuraOptions.AdminSecret] says otherwise.
const defaultAdminSecret = "clerkhasuratest-admin-secret"

// HasuraOptions configures [NewHasura]: one of JWKURL, JWTSecret and
// JWTSecrets is required.
type HasuraOptions struct {
	// JWKURL is the jwk_url of HASURA_GRAPHQL_JWT_SECRET, such as
	// [Clerk.JWKSURL].
	JWKURL string
	// JWTSecret is a whole HASURA_GRAPHQL_JWT_SECRET, read as Hasura reads
	// it: jwk_url or a static key of any JWS type, claims_namespace(_path),
	// claims_format, audience, issuer, allowed_skew and header.
	JWTSecret string
	// JWTSecrets is a whole HASURA_GRAPHQL_JWT_SECRETS (Hasura Cloud and
	// Enterprise): a JSON list of secrets, each usually with an issuer,
	// and a request's token is matched to a secret by issuer as Hasura
	// matches it. When set, JWTSecret is ignored, as by Hasura.
	JWTSecrets string
	// AdminSecret is HASURA_GRAPHQL_ADMIN_SECRET: requests that send it as
	// x-hasura-admin-secret run as admin, or as their x-hasura-role.
	// Optional. Default: a secret of the kit's, see [Hasura.AdminSecret].
	AdminSecret string
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE, the role of
	// requests without a token. Optional. Default: they are refused.
	UnauthorizedRole string
	// Project is a Hasura CLI project directory (config.yaml, metadata/,
	// migrations/), such as os.DirFS("hasura") or an embed.FS, whose
	// tables, relationships and permissions the fake serves; see "Your
	// own tables" above. Optional. Default: examples/hasura.
	Project fs.FS
	// Clock is the fake's clock, against which exp and nbf are checked,
	// the JWKS cache expires and websocket connections are dropped when
	// their token expires, and which now() reads. Optional. Default: the
	// system clock.
	Clock clerkhasura.Clock
	// HTTPClient fetches the JWKS. Optional. Default: the fake's own.
	HTTPClient *http.Client
	// StrictJWKSRefresh fetches a jwk_url's key set again only once its
	// max-age has passed on the fake's clock, as Hasura does, so that a
	// new kid is refused until then. Optional. Default: also once when a
	// token names a kid the set lacks, so that a rotated key is seen at
	// once.
	StrictJWKSRefresh bool
	// WSKeepAlive is HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE, in real time.
	// Optional. Default 5 s, Hasura's; negative sends none.
	WSKeepAlive time.Duration
	// WSInitTimeout is HASURA_GRAPHQL_WEBSOCKET_CONNECTION_INIT_TIMEOUT,
	// checked once on Clock, as by Hasura, when a graphql-transport-ws
	// connection has been accepted. Optional. Default 3 s, Hasura's.
	WSInitTimeout time.Duration
}

func (o *HasuraOptions) jwtSecrets() ([]*fakehasura.JWTConfig, error) {
	switch {
	case o == nil || (o.JWKURL == "" && o.JWTSecret == "" && o.JWTSecrets == ""):
		return nil, errors.New("HasuraOptions.JWKURL, HasuraOptions.JWTSecret or HasuraOptions.JWTSecrets is required")
	case o.JWKURL != "" && (o.JWTSecret != "" || o.JWTSecrets != ""):
		return nil, errors.New("set HasuraOptions.JWKURL or a JWT secret, not both")
	case o.JWTSecrets != "":
		return fakehasura.ParseJWTSecrets(o.JWTSecrets)
	case o.JWTSecret != "":
		c, err := fakehasura.ParseJWTSecret(o.JWTSecret)
		return []*fakehasura.JWTConfig{c}, err
	}
	return []*fakehasura.JWTConfig{{JWKURL: o.JWKURL, ClaimsNamespace: fakehasura.DefaultClaimsNamespace}}, nil
}

func (o *HasuraOptions) now() func() time.Time {
	if o.Clock == nil {
		return nil
	}
	return o.Clock.Now
}

func (o *HasuraOptions) adminSecret() string {
	if o.AdminSecret == "" {
		return defaultAdminSecret
	}
	return o.AdminSecret
}

// Hasura is a fake Hasura v2 in JWT mode: an [httptest.Server] whose
// /v1/graphql serves a Hasura project ([HasuraOptions.Project]) over rows
// kept in memory. It verifies tokens,
// validates operations against the role's schema and answers errors with
// HTTP 200, as Hasura does. Its websockets speak graphql-transport-ws or
// Apollo's graphql-ws, chosen as Hasura chooses, authenticate at
// connection_init and end when the token expires; a subscription is a
// live query, run again after every change. It is safe for concurrent use.
type Hasura struct {
	t    Tester
	srv  *httptest.Server
	eng  *fakehasura.Engine
	ws   *fakehasura.WSServer
	key  string
	once sync.Once
}

// NewHasura starts a fake Hasura configured by opts and registers
// [Hasura.Close] with t.Cleanup. Like Hasura it fetches each jwk_url at
// start-up, and it calls t.Fatalf, with Hasura's message, when that fails
// or opts are invalid, and with the file and line at fault when the
// project is; it lists with t.Logf what the project holds that cannot
// change the schema and is passed over (functions, triggers…).
func NewHasura(t Tester, opts *HasuraOptions) *Hasura {
	t.Helper()
	secrets, err := opts.jwtSecrets()
	if err != nil {
		t.Fatalf("clerkhasuratest: NewHasura: %v", err)
		return nil
	}
	project, err := loadProject(t, opts.Project)
	if err != nil {
		t.Fatalf("clerkhasuratest: NewHasura: %v", err)
		return nil
	}
	eng, err := fakehasura.New(fakehasura.Config{
		Project:             project,
		JWTSecrets:          secrets,
		AdminSecret:         opts.adminSecret(),
		UnauthorizedRole:    opts.UnauthorizedRole,
		Now:                 opts.now(),
		HTTPClient:          opts.HTTPClient,
		RefetchOnUnknownKID: !opts.StrictJWKSRefresh,
	})
	if err != nil {
		t.Fatalf("clerkhasuratest: NewHasura: %v", err)
		return nil
	}
	h := &Hasura{t: t, eng: eng, key: opts.adminSecret(), ws: fakehasura.NewWSServer(eng, opts.wsOptions())}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serveHTTP))
	t.Cleanup(h.Close)
	return h
}

// URL is the server's root, "http://127.0.0.1:port".
func (h *Hasura) URL() string { return h.srv.URL }

// Endpoint is [Hasura.URL] + "/v1/graphql".
func (h *Hasura) Endpoint() string { return h.srv.URL + "/v1/graphql" }

// AdminSecret is the admin secret of [HasuraOptions.AdminSecret].
func (h *Hasura) AdminSecret() string { return h.key }

// HTTPClient is an *http.Client that reaches the fake.
func (h *Hasura) HTTPClient() *http.Client { return h.srv.Client() }

// Now is the time on the fake's clock ([HasuraOptions.Clock]).
func (h *Hasura) Now() time.Time { return h.eng.Now() }

// Close drops every websocket connection, shuts the server down and
// stops JWKS fetches in flight. It is idempotent.
func (h *Hasura) Close() {
	h.once.Do(func() {
		// httptest.Server.Close does not end hijacked connections, so
		// the websockets end first and none outlives the server.
		h.ws.Close()
		h.srv.Close()
		h.eng.Close()
	})
}

// HasuraStats counts what a fake [Hasura] answered. Each field is read
// atomically, not the snapshot as a whole.
type HasuraStats struct {
	// Requests counts POST requests to /v1/graphql.
	Requests int64
	// Errors counts error answers, over HTTP and websockets, by
	// extensions.code, such as "invalid-jwt".
	Errors map[string]int64
	// JWKSFetches counts JWKS requests, the one at start-up included.
	JWKSFetches int64
	// Websockets counts what the websocket transport did.
	Websockets WebsocketStats
}

// Stats returns the fake's counters.
func (h *Hasura) Stats() HasuraStats {
	s := h.eng.Stats()
	return HasuraStats{
		Requests:    s.Requests,
		Errors:      s.Errors,
		JWKSFetches: s.JWKSFetches,
		Websockets:  websocketStats(h.ws.Stats()),
	}
}
