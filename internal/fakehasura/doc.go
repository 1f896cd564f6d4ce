// Package fakehasura is the engine of the fake Hasura in
// clerkhasura/clerkhasuratest: Hasura v2's /v1/graphql in JWT mode over an
// in-memory users table.
//
// The engine is transport-neutral. [Engine.ServeHTTP] is the HTTP
// transport; another transport (a websocket server) reuses
// [Engine.Authenticate] to turn request headers into a [Session],
// [Engine.Execute] to run one operation for that session, and
// [Engine.Subscribe] to learn when rows change.
//
// Fidelity comes first: error bodies, codes and paths, JSON layout and
// timestamp formats follow Hasura v2 and PostgreSQL 15. What the engine
// does not emulate is answered with a validation-failed error whose message
// says so, never with a plausible but wrong answer.
package fakehasura

//go:generate go run ../hasuraproject/hasuraparse -dir testdata/shop -o testdata/shop.parsed
