package clerkhasuratest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// DefaultAdminSecret is the admin secret a fake [Hasura] accepts unless
// [HasuraOptions.AdminSecret] says otherwise.
const DefaultAdminSecret = "clerkhasuratest-admin-secret"

// HasuraOptions configures [NewHasura]. JWKURL, JWTSecret or JWTSecrets is
// required, so a nil *HasuraOptions is refused.
type HasuraOptions struct {
	// JWKURL is the jwk_url of HASURA_GRAPHQL_JWT_SECRET, such as
	// [Clerk.JWKSURL]. Required unless JWTSecret is set.
	JWKURL string
	// JWTSecret is a complete HASURA_GRAPHQL_JWT_SECRET value, parsed as
	// Hasura parses it: jwk_url or a static key with its type (HS256,
	// HS384, HS512, RS256, RS384, RS512, Ed25519, ES256, ES384, ES512;
	// a PEM public key or certificate for all but the HS types),
	// claims_namespace or claims_namespace_path, claims_format, audience,
	// issuer, allowed_skew, and header ({"type":"Authorization"},
	// {"type":"Cookie","name":…} or {"type":"CustomHeader","name":…}).
	// claims_map is not emulated. Optional; when set, JWKURL must be
	// empty.
	JWTSecret string
	// JWTSecrets is a complete HASURA_GRAPHQL_JWT_SECRETS value: a JSON
	// list of secrets like JWTSecret's, each usually with an issuer, as
	// Hasura Cloud and Enterprise Edition read it (the open-source engine
	// reads only HASURA_GRAPHQL_JWT_SECRET). A request is resolved as
	// Hasura resolves it: each secret is paired with every token at its
	// location (Authorization, its cookie or its header), and the pairs
	// whose iss matches the secret's issuer, or where either is absent,
	// remain. No token at all runs as UnauthorizedRole (or is refused
	// with "Missing 'Authorization' or 'Cookie' header in JWT
	// authentication mode"); tokens that no issuer matches get "Could not
	// verify JWT: JWTNotInIssuer"; more than one pair gets "Could not
	// verify JWT: Multiple JWTs found" (invalid-headers); one pair is
	// verified against its secret. Each jwk_url keeps its own key set and
	// max-age. Optional; when set, JWTSecret is ignored, as Hasura ignores
	// HASURA_GRAPHQL_JWT_SECRET when both are set, and JWKURL must be
	// empty.
	JWTSecrets string
	// AdminSecret is HASURA_GRAPHQL_ADMIN_SECRET: requests that send it as
	// x-hasura-admin-secret run as admin, or as their x-hasura-role
	// header's role. Optional. Default [DefaultAdminSecret].
	AdminSecret string
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE: the role of
	// requests without an Authorization header. Optional. Default none:
	// such requests are refused.
	UnauthorizedRole string
	// Clock is the fake's clock, against which exp and nbf are checked,
	// the JWKS cache expires and websocket connections are dropped when
	// their token expires, and which now() reads. Optional. Default: the
	// system clock. Give it the test's [Clock], and a connection is
	// dropped once the test moves that clock past its token's exp.
	Clock clerkhasura.Clock
	// HTTPClient fetches the JWKS. Optional. Default: a client of the
	// fake's own, closed with it.
	HTTPClient *http.Client
	// StrictJWKSRefresh makes the fake refresh each jwk_url's JWKS only
	// as Hasura does: when the cached set has expired, on the fake's
	// clock, by its Cache-Control max-age (or Expires). A kid published
	// after the last fetch is then refused until that max-age has run
	// out, as it is by Hasura. By default the fake also fetches a set
	// again, once per key set, when a token names a kid the set lacks, so
	// that a rotated key is seen without moving the clock past the set's
	// max-age. Optional.
	StrictJWKSRefresh bool
	// WSKeepAlive is the interval of the keepalive messages sent on
	// websocket connections (HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE), in
	// real time, not on Clock. Optional. Default [DefaultWSKeepAlive]; a negative value sends
	// none.
	WSKeepAlive time.Duration
	// WSInitTimeout is Hasura's connection-init timeout
	// (HASURA_GRAPHQL_WEBSOCKET_CONNECTION_INIT_TIMEOUT), checked once
	// when a graphql-transport-ws connection has been accepted: 4408 if
	// accepting it took that long on Clock. Optional. Default
	// [DefaultWSInitTimeout].
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
		return DefaultAdminSecret
	}
	return o.AdminSecret
}

// Hasura is a fake Hasura v2 GraphQL engine in JWT mode: an
// [httptest.Server] whose /v1/graphql serves the users table of
// examples/hasura with the permissions of its metadata. It is safe for
// concurrent use.
//
// It verifies tokens as Hasura does, against the JWKS at jwk_url or a
// static key (RS256, EdDSA and the other JWS algorithms, exp and nbf with
// allowed_skew, iss and aud when configured, the claims namespace,
// x-hasura-default-role and x-hasura-allowed-roles, the x-hasura-role
// header), answers every error with HTTP 200 and Hasura's error body,
// validates each operation against graphql/schema.graphql (the user
// role's schema), and executes queries, inserts with on_conflict, updates
// and, for admin, deletes, over rows kept in memory. Timestamps print as
// PostgreSQL prints a timestamp column.
//
// Websocket upgrades to /v1/graphql get Hasura's websocket transport.
// It picks the subprotocol as Hasura does: graphql-transport-ws when the
// upgrade request has one Sec-WebSocket-Protocol header whose whole value
// is "graphql-transport-ws", Apollo's graphql-ws otherwise, for a list
// such as "graphql-transport-ws,graphql-ws" and for no header too; its
// answer names the protocol it picked. It authenticates a connection
// once, at connection_init, with the headers of its payload and of the
// upgrade request, checked as an HTTP request's are, and answers a
// refused connection_init as Hasura v2.30 and later do: 4403 on
// graphql-transport-ws, connection_error then 4400 on Apollo. Like
// Hasura, it checks [HasuraOptions.WSInitTimeout] once, when it has
// accepted a graphql-transport-ws connection, and closes the connection
// with 4408 and the reason "Connection initialisation timed out" if
// accepting it took that long on the fake's clock; a connection that never sends
// connection_init is not closed for it. It refuses a subscribe with an
// ID in use, or before connection_init, as Hasura does: on
// graphql-transport-ws an error for the ID, then a close with 1000 and
// the reason "4400: …". It sends keepalives every
// [HasuraOptions.WSKeepAlive] of real time. When the token's exp passes
// on the fake's clock, it drops the connection without a close frame or
// message, as Hasura does. A
// subscription is a live query: the subscriber gets the current result,
// then a new result after every change that alters it, whoever made the
// change (over HTTP, over a websocket, or with [Hasura.Seed] and
// [Hasura.DeleteRow]). Queries and mutations sent over a websocket run
// as they do over HTTP. [Hasura.RestartWebsockets] and
// [Hasura.DropWebsockets] end every connection, as a Hasura restart
// and a network failure do.
//
// What the fake does not emulate:
//
//   - introspection (__schema, __type), users_aggregate, users_stream,
//     and GET requests: they get a validation-failed error saying so;
//   - the admin role's full schema: admin sees the user schema plus
//     last_seen in inserts, id in _set and update_columns, and
//     delete_users and delete_users_by_pk, and bypasses permissions;
//   - roles other than user and admin: they have no permissions, as in
//     the metadata;
//   - claims_map, and JWK and PEM keys Go's crypto libraries do not read
//     (Ed448, secp256k1), which Hasura's jose library may accept;
//   - collation: text sorts and compares in byte order (PostgreSQL's C
//     collation), where a database created with en_US.UTF-8 orders
//     "a" before "B";
//   - regular expressions beyond Go's RE2 syntax (back references,
//     lookahead): _regex and friends report them as invalid;
//   - timestamp input beyond ISO 8601 forms and the special values now,
//     today, tomorrow, yesterday, epoch and ±infinity (PostgreSQL also
//     reads "May 1 2024"), and years outside 1–9999;
//   - now() in the database's time zone: it is the fake's clock in UTC;
//   - the background JWKS poller: the fake refreshes the key set when a
//     request arrives after it has expired (and on an unknown kid, unless
//     StrictJWKSRefresh), so its JWKS fetches are not Hasura's;
//   - the exact text of messages Hasura copies from libraries (a JWT that
//     does not decode, JSON that does not parse): code and path match,
//     and the message starts as Hasura's does;
//   - "internal" error details for admin, and the order of rows a query
//     without order_by returns, which PostgreSQL leaves open (the fake
//     returns insertion order);
//   - the timing of live queries: Hasura polls them every second
//     (HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL),
//     batching subscribers, so a change reaches them up to a second
//     later and several changes within that second arrive as one
//     result; the fake runs them again as soon as a change commits;
//   - the text of the close frames Hasura sends for websocket messages
//     it cannot parse: the code and the {"server_error_msg":"4400: …"}
//     form match, the message is the fake's own;
//   - the start-failed error and the complete that Hasura queues when it
//     refuses a subscribe on graphql-transport-ws: they race with the
//     error and close frame it writes at once, and may arrive before
//     them or not at all; the fake sends only the latter two.
type Hasura struct {
	t    Tester
	srv  *httptest.Server
	eng  *fakehasura.Engine
	ws   *fakehasura.WSServer
	key  string
	once sync.Once
}

// NewHasura starts a fake Hasura configured by opts and registers
// [Hasura.Close] with t.Cleanup. Like Hasura at startup it fetches the
// JWKS of each jwk_url once; it calls t.Fatalf when that fails, and when
// opts are invalid (with Hasura's message for the JWT secrets Hasura
// refuses at start-up).
func NewHasura(t Tester, opts *HasuraOptions) *Hasura {
	t.Helper()
	secrets, err := opts.jwtSecrets()
	if err != nil {
		t.Fatalf("clerkhasuratest: NewHasura: %v", err)
		return nil
	}
	eng, err := fakehasura.New(fakehasura.Config{
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

// Endpoint is the GraphQL endpoint, [Hasura.URL] + "/v1/graphql".
func (h *Hasura) Endpoint() string { return h.srv.URL + "/v1/graphql" }

// AdminSecret is the admin secret the fake accepts.
func (h *Hasura) AdminSecret() string { return h.key }

// HTTPClient is an *http.Client that reaches the fake.
func (h *Hasura) HTTPClient() *http.Client { return h.srv.Client() }

// Now is the time on the fake's clock ([HasuraOptions.Clock]).
func (h *Hasura) Now() time.Time { return h.eng.Now() }

// Close drops every websocket connection, shuts the server down and
// stops JWKS fetches in flight. Close is idempotent, and [NewHasura]
// registers it with t.Cleanup.
func (h *Hasura) Close() {
	h.once.Do(func() {
		// httptest.Server.Close does not end hijacked connections, so
		// the websockets end first and none outlives the server.
		h.ws.Close()
		h.srv.Close()
		h.eng.Close()
	})
}

// HasuraStats counts what a fake [Hasura] answered. Each counter is read
// atomically, but requests in flight may move one counter before another.
type HasuraStats struct {
	// Requests counts POST requests to /v1/graphql; websocket
	// connections are counted in Websockets.
	Requests int64
	// Operations counts operations answered with data: each operation of
	// a batch, and each run of an operation sent over a websocket (a
	// live query runs again after every change).
	Operations int64
	// Errors counts error answers by extensions.code, such as
	// "invalid-jwt" or "validation-failed", websocket connection_init
	// and operations included.
	Errors map[string]int64
	// JWKSFetches counts JWKS requests, the one at startup included.
	JWKSFetches int64
	// Websockets counts what the websocket transport did.
	Websockets WebsocketStats
}

// Stats returns the fake's counters.
func (h *Hasura) Stats() HasuraStats {
	s := h.eng.Stats()
	return HasuraStats{
		Requests:    s.Requests,
		Operations:  s.Operations,
		Errors:      s.Errors,
		JWKSFetches: s.JWKSFetches,
		Websockets:  websocketStats(h.ws.Stats()),
	}
}
