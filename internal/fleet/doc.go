// Package fleet simulates a service of several replicas behind a random load
// balancer, serving many signed-in browsers, to measure what each rung of the
// scaling ladder costs Clerk's Backend API:
//
//   - rung 1 ([Mint]): each replica verifies the session token with the
//     middleware and mints Hasura tokens through the Backend API with its own
//     clerkhasura.SessionTokens;
//   - rung 2 ([Forward]): the browser sends its own template token (minted by
//     the Frontend API), which the middleware (Options.TemplateTokens)
//     verifies and the handler's client forwards as is;
//   - rung 3 ([Local]): each replica verifies the session token with the
//     middleware and signs a Hasura token with its own localjwt.Signer
//     (Options.Signer).
//
// Every replica is the middleware as a service runs it, with its own cache
// of verified tokens sized for the sessions (Options.VerifiedTokens, twice
// their number), around a handler that reads the user ID from the Hasura
// token of middleware.ClientFromContext's client.
//
// The fake Clerk of clerkhasuratest enforces the production rate limit and
// every signature and verification is real; only time is simulated, on one
// clerkhasuratest.Clock shared by the fake, the caches and the signers.
//
// # The model
//
// Time advances in ticks (Config.Tick, 100 ms by default): the clock is set to
// the tick's start, every event due within the tick runs at that instant, and
// the next tick starts once the Backend API requests begun in this one have
// been answered, so that a mint takes less than a tick of simulated time
// whatever it takes in real time (a background refresh whose request has not
// begun by then is sent in the next tick). Events are kept in one bucket per
// tick.
// Within a tick, sessions are shared among Config.Workers goroutines; the
// events of one session run in order on one of them.
//
// Each session starts at a random instant within Config.Ramp and then makes a
// request every Config.RequestEvery on average (each interval uniform between
// half and one and a half of it), to a replica drawn at random. The same
// request, with the same replica, reaches every rung being run, so the rungs
// see one workload. The browser renews its tokens as clerk-js does
// (packages/clerk-js/src/core/tokenCache.ts): a cached token is reused while
// more than 15 s of it remain (a leeway of 10 s plus the 5 s of the poller),
// the session token is also renewed by the poller, which looks every 5 s,
// and the template token of rung 2 only when a request asks for it. These
// renewals go to the Frontend API, which the fake plays without HTTP: they
// are not Backend API requests and do not count against the rate limit.
//
// A request's wait is the real time its handler spends getting the Hasura
// token once the request is authenticated: for rung 1 a cache hit, or a mint
// on the fake Clerk (an RSA signature); for rung 3 a cache hit or an Ed25519
// signature; for rung 2 reading the forwarded token's claims. In simulated
// time every wait is shorter than a tick.
package fleet
