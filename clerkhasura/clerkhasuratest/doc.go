// Package clerkhasuratest provides in-process fakes of Clerk's Backend
// API and Hasura's GraphQL engine, for tests and examples. Like
// [net/http/httptest], a constructor takes a [Tester] (such as
// *testing.T), starts a local server and registers its own cleanup;
// outside `go test` a [StandaloneTester] stands in for *testing.T. The API
// speaks only the standard library and clerk-sdk-go: no assertion library,
// no network, no Docker, no accounts.
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
//		me, err := hc.Me(context.Background()) // Alice's row, and no other
//		…
//	}
//
// The fake Clerk's template "hasura" carries the conventional Hasura
// claims ([HasuraTemplate]); the fake Hasura serves the project of
// examples/hasura, whose users table [Hasura.Seed] fills. Middleware is
// tested with [Clerk.SessionToken] and [Clerk.JWKSClient], webhook
// handlers with [Clerk.WebhookRequest]; [Clerk.FailNext] injects
// failures, and the Stats methods count what the fakes did.
//
// # Your own tables
//
// [HasuraOptions.Project] serves your Hasura CLI project instead: the
// tables its migrations create, its relationships and permissions, and
// for each role the schema Hasura would generate, which
// clerkhasura/cmd/hasura-schema fetches for genqlient. [Hasura.Insert]
// and [Hasura.Table] seed and read rows of any table; examples/todos
// walks the whole path. The migrations are read by Postgres' parser,
// which takes a second the first time in a test binary (ten or more under
// -race), unless the project holds the parse in a migrations.parsed file
// at its root, which go generate can keep current:
//
//	//go:generate go run github.com/clerkhasura/clerkhasura-go/clerkhasura/cmd/hasura-parse -dir hasura -o hasura/migrations.parsed
//
// A project that uses what the fake does not model (custom names,
// computed fields, actions, remote schemas, inherited roles…) fails
// NewHasura with the file at fault; the package doc of
// internal/fakehasura lists what runs and how it differs from Hasura.
//
// # Where the fakes differ from the services
//
// The fake Clerk knows no users or instance settings (any user ID gets a
// session; the template shortcodes are {{user.id}} and {{session.id}}).
// Sessions expire 7 days after creation and never end otherwise. Template
// lifetimes may be as short as 1 s (Clerk: 30 s). Each [Clerk.RotateKey]
// adds a key (an instance has one, its kid the instance ID), from a pool
// of eight per process: with more than eight in use, two fakes may share
// one. The public JWKS is served from the Backend API's host. Webhooks
// (session.revoked only) go out once, at once. The error codes are
// authentication_invalid, resource_not_found (for an unknown template or
// an inactive session too), request_body_invalid, form_param_missing,
// form_param_value_invalid, too_many_requests and internal_clerk_error.
//
// The fake Hasura refuses with a validation-failed error what it does not
// emulate: GET requests, claims_map, keys Go does not read (Ed448,
// secp256k1), some aggregates and JSON operators, the types time,
// interval, money, bytea and inet, years outside 1 to 9999. It sorts text
// in byte order (the C collation), reads regular expressions as Go's RE2,
// returns rows without order_by in insertion order, reads now() in UTC,
// fetches the JWKS on a request that finds it expired (or names an
// unknown kid) rather than in the background, runs live queries again at
// once after a change (Hasura polls each second), and words some messages
// Hasura takes from libraries, and websocket close reasons, its own way.
//
// # Time
//
// A [Clock] moves only when the test moves it. Hand one to the fakes
// ([ClerkOptions.Clock], [HasuraOptions.Clock]) and to every option of the
// SDK that takes a clock, and one [Clock.Advance] ages tokens, caches,
// sessions and websocket connections together; [Clock.Offset] plays a
// service whose clock is off. Keepalives and [Fault] latency run in real
// time.
package clerkhasuratest
