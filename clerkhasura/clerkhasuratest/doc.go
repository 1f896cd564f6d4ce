// Package clerkhasuratest provides in-process fakes of the services
// clerkhasura talks to, for tests and examples, shaped like
// [net/http/httptest]: a constructor takes a [Tester] (such as
// *testing.T), starts a local HTTP server, and registers its own cleanup.
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
// [Clerk.JWKSURL]. The fake keeps its own clock ([ClerkOptions.Now],
// [Clerk.SetNow]), so tests can play a Clerk whose clock differs from the
// host's without sleeping. [Clerk.FailNext] injects failures (a status, a
// body, latency, Retry-After), [Clerk.RotateKey] rotates the signing key,
// and [Clerk.Stats] counts requests.
//
// [Clerk.SessionClient], [Clerk.JWKSClient], [Clerk.Backend] and
// [Clerk.BackendConfig] build clerk-sdk-go clients pointed at the fake.
// [Clerk.SessionToken] and [Clerk.TemplateToken] mint tokens directly, for
// tests of code that receives them.
//
// Outside `go test`, in examples and demo programs, a [StandaloneTester]
// stands in for *testing.T. The package depends on no assertion library:
// its API speaks only [Tester], the standard library and clerk-sdk-go.
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
//   - ignores the Clerk-API-Version header and enforces no rate limit
//     (inject 429 with [Clerk.FailNext]);
//   - allows template lifetimes and expires_in_seconds down to 1 s, where
//     Clerk's minimum is 30 s;
//   - publishes one new key per [Clerk.RotateKey] and keeps earlier keys
//     until [Clerk.DropKey], whereas a real instance has one key whose kid
//     is the instance ID;
//   - serves the JWKS from the same host as the Backend API; a real
//     instance serves /.well-known/jwks.json from its Frontend API host;
//   - sends only these error codes: 401 authentication_invalid, 404
//     resource_not_found, 400 request_body_invalid, 422 form_param_missing
//     and form_param_value_invalid, and for injected faults 429
//     too_many_requests and 5xx internal_clerk_error. Clerk does not
//     publish the codes it sends for an unknown template or an inactive
//     session; the fake sends resource_not_found for both.
package clerkhasuratest
