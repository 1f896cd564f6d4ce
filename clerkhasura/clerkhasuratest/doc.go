// Package clerkhasuratest provides in-process fakes of the services
// clerkhasura talks to, Clerk's Backend API and Hasura's GraphQL engine,
// for tests and examples. They are shaped like [net/http/httptest]: a
// constructor takes a [Tester] (such as *testing.T), starts a local HTTP
// server, and registers its own cleanup. No network, no Docker, no
// accounts.
//
// # Quickstart
//
// A test of code that calls Hasura as a Clerk user starts both fakes, the
// fake Hasura trusting the fake Clerk's keys as
// HASURA_GRAPHQL_JWT_SECRET={"jwk_url": …} makes a real Hasura trust Clerk:
//
//	func TestMe(t *testing.T) {
//		fc := clerkhasuratest.NewClerk(t, nil)
//		fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
//		alice := "Alice"
//		fh.Seed(clerkhasuratest.UserRow{ID: "user_alice", Name: &alice})
//
//		sid := fc.CreateSession("user_alice")
//		minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), sid, "hasura", nil)
//		if err != nil {
//			t.Fatal(err)
//		}
//		src, err := clerkhasura.NewCachedTokenSource(minter, nil)
//		if err != nil {
//			t.Fatal(err)
//		}
//		defer src.Close()
//		hc, err := hasura.NewClient(fh.Endpoint(), src, nil)
//		if err != nil {
//			t.Fatal(err)
//		}
//		me, err := hc.Me(context.Background()) // Alice's row
//		…
//	}
//
// The fake Clerk's default template is "hasura", with the conventional
// Hasura claims ([HasuraTemplate]); the fake Hasura serves the users table
// of examples/hasura with the permissions of its metadata, so Alice sees
// her own row and no other.
//
// A service that receives Clerk session tokens from browsers is tested
// with tokens from [Clerk.SessionToken], verified against
// [Clerk.JWKSClient]: see the examples of package middleware.
//
// Outside `go test`, in examples and demo programs, a [StandaloneTester]
// stands in for *testing.T. The package depends on no assertion library:
// its API speaks only [Tester], the standard library and clerk-sdk-go.
//
// # The fake Clerk
//
// [NewClerk] starts a fake Clerk: the Backend API routes that create and
// revoke sessions and mint tokens from JWT templates, and the instance's
// JWKS. The clients of clerk-sdk-go work against it unchanged:
//
//	fc := clerkhasuratest.NewClerk(t, nil)
//	sid := fc.CreateSession("user_123")
//	tok, err := fc.SessionClient().CreateToken(ctx, &session.CreateTokenParams{
//		ID: sid, TemplateName: "hasura",
//	})
//
// Tokens are RS256 JWTs signed with the key the fake publishes at
// [Clerk.JWKSURL]. The fake tells time by [ClerkOptions.Clock] (see
// Time below). [Clerk.FailNext] injects failures (a status, a
// body, latency, Retry-After), [ClerkOptions.RateLimit] enforces Clerk's
// Backend API rate limit, [Clerk.RotateKey] rotates the signing key, and
// [Clerk.Stats] counts requests.
//
// [Clerk.SessionClient], [Clerk.JWKSClient], [Clerk.Backend] and
// [Clerk.BackendConfig] build clerk-sdk-go clients pointed at the fake.
// [Clerk.SessionToken] and [Clerk.TemplateToken] mint tokens directly, for
// tests of code that receives them.
//
// Clerk's webhooks, signed by Svix, are played too: [Clerk.WebhookRequest]
// builds the signed delivery of a session event with [Clerk.WebhookSecret],
// and after [Clerk.SetWebhookURL] the fake delivers session.revoked there
// whenever a session is revoked, so that a service's webhook handler
// (the Handler of clerkhasura/webhook) is tested end to end.
//
// # The fake Hasura
//
// [NewHasura] starts a fake Hasura v2 in JWT mode whose /v1/graphql
// verifies tokens against the JWKS at [HasuraOptions.JWKURL] (or a whole
// HASURA_GRAPHQL_JWT_SECRET in [HasuraOptions.JWTSecret], static keys
// included, or the list of HASURA_GRAPHQL_JWT_SECRETS in
// [HasuraOptions.JWTSecrets], resolved by issuer) as Hasura does,
// answers every error with HTTP 200 and Hasura's error body and code,
// validates each operation against the user role's schema
// (graphql/schema.graphql), and runs queries, inserts with on_conflict and
// updates over rows kept in memory, with the permissions of
// examples/hasura's metadata; a test of this module keeps the two in step.
// Timestamps print as PostgreSQL prints a timestamp column.
//
// Websocket upgrades to /v1/graphql get Hasura's websocket transport,
// graphql-transport-ws or Apollo's graphql-ws, chosen as Hasura chooses:
// graphql-transport-ws only when it is the whole Sec-WebSocket-Protocol
// header, Apollo's for anything else, a list offering both included. A
// connection is authenticated once, at connection_init, and dropped
// without a word when its token expires on the fake's clock, as Hasura
// does, and a subscription is a live query that delivers a new result
// after every change that alters it. So the Client of package
// subscription can be tested across token lifetimes without sleeping
// through them. [HasuraOptions.WSKeepAlive] sets the
// keepalive interval and [HasuraOptions.WSInitTimeout] the
// connection-init timeout, which, as in Hasura, is checked once, when a
// graphql-transport-ws connection has been accepted; [Hasura.RestartWebsockets] and [Hasura.DropWebsockets]
// play a Hasura restart and a network failure; [HasuraStats.Websockets],
// from [Hasura.Stats], counts connections, handshakes, expiries,
// operations, results and keepalives.
//
// [Hasura.Seed] and [Hasura.InsertUser] add rows as an admin would,
// [Hasura.Row] and [Hasura.Rows] read them back, [HasuraOptions.Clock] is
// the clock against which tokens expire and now() reads, and [Hasura.Stats]
// counts requests and errors by code. Requests sending [Hasura.AdminSecret]
// as x-hasura-admin-secret run as admin.
//
// # Time
//
// A [Clock] moves only when the test moves it. Hand one to the fakes
// ([ClerkOptions.Clock], [HasuraOptions.Clock]) and to every option of the
// SDK that takes a clock, and one [Clock.Advance] ages tokens, caches,
// sessions and websocket connections together; [Clock.Offset] plays a
// service whose clock is off. Keepalives and [Fault] latency run in real
// time.
//
// # What the fakes do not emulate
//
// The fake Clerk:
//
//   - knows no users, organizations, clients or instance settings: any
//     non-empty user ID gets a session, and the only template shortcodes
//     are {{user.id}} and {{session.id}};
//   - expires a session 7 days after it was created, on the fake's clock;
//     activity does not extend it, and sessions are never "abandoned",
//     "ended" or "removed";
//   - implements only the routes listed on [Clerk]; the rest, such as
//     listing sessions, answer 404;
//   - lists JWT templates in name order, where Clerk's order is not
//     documented, and answers a limit or offset out of bounds with 422
//     form_param_value_invalid, which Clerk's spec does not specify;
//   - ignores the Clerk-API-Version header, and enforces a rate limit
//     only when [ClerkOptions.RateLimit] asks for one (inject other 429s
//     with [Clerk.FailNext]);
//   - allows template lifetimes down to 1 s, where Clerk's minimum is
//     30 s; the expires_in_seconds request parameter is held to Clerk's
//     bounds, 30 to 315360000 seconds, and answered otherwise with
//     Clerk's 422 form_param_value_invalid;
//   - publishes one new key per [Clerk.RotateKey] and keeps earlier keys
//     until [Clerk.DropKey], whereas a real instance has one key whose kid
//     is the instance ID;
//   - takes its signing keys in turn from a pool of eight RSA keys that
//     the process generates once, under kids of its own: fakes started one
//     after another never share a key, but with more than eight keys in
//     use at once two fakes may, and a verifier that tries every key of a
//     set, as Hasura and the fake Hasura do, would then accept the other
//     fake's tokens;
//   - serves the JWKS from the same host as the Backend API; a real
//     instance serves /.well-known/jwks.json from its Frontend API host;
//   - delivers webhooks once, at once and in order, on the goroutine that
//     revoked the session, and only session.revoked; Svix queues
//     deliveries, retries failed ones with back-off, and sends
//     svix-signature with a signature per active secret;
//   - sends only these error codes: 401 authentication_invalid, 404
//     resource_not_found, 400 request_body_invalid, 422 form_param_missing
//     and form_param_value_invalid, and for injected faults 429
//     too_many_requests and 5xx internal_clerk_error. Clerk does not
//     publish the codes it sends for an unknown template or an inactive
//     session; the fake sends resource_not_found for both.
//
// The fake Hasura:
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
//     request arrives after it has expired (and on an unknown kid,
//     unless [HasuraOptions.StrictJWKSRefresh]), so its JWKS fetches are
//     not Hasura's;
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
package clerkhasuratest
