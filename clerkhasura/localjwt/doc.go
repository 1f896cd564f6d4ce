// Package localjwt signs Hasura tokens locally: from a verified Clerk
// session, the service signs its own short-lived Hasura JWT with an
// Ed25519 key Hasura trusts, and calls no Clerk API per session, so any
// number of sessions fits Clerk's rate limit.
//
//	key, _ := localjwt.ParseKey(pemBytes) // made by cmd/hasura-jwt-key
//	signer, err := localjwt.New(&localjwt.Options{
//		Issuer: "https://api.example.com",
//		Keys:   []localjwt.ScheduledKey{{Key: key, SignFrom: firstDeploy}},
//	})
//	http.Handle("/.well-known/hasura-jwks.json", signer.JWKSHandler(nil))
//	// per request, after clerk-sdk-go's jwt.Verify returned claims:
//	src, err := signer.Source(claims) // a clerkhasura.TokenSource
//
// Tokens carry iss [Options.Issuer], sub, iat, exp, aud when
// [Options.Audience] is set, and Hasura's claims under
// "https://hasura.io/jwt/claims"; never Clerk's sid, so they cannot pass
// for session tokens. Their header names the key's kid.
//
// # Hasura's configuration
//
// Hasura Cloud and Enterprise Edition read a list of secrets, each
// naming its issuer (without the issuers, every Clerk token would match
// both entries and be refused as ambiguous):
//
//	HASURA_GRAPHQL_JWT_SECRETS=[
//	  {"jwk_url":"https://<frontend-api>/.well-known/jwks.json","issuer":"https://<frontend-api>"},
//	  {"jwk_url":"https://api.example.com/.well-known/hasura-jwks.json","issuer":"https://api.example.com"}]
//
// Open-source Hasura reads one secret. Either its jwk_url names the
// service's JWKS, with [JWKSOptions.ClerkJWKS] set so that Clerk's keys
// are served beside the service's (no issuer: Clerk's tokens must pass
// too),
//
//	HASURA_GRAPHQL_JWT_SECRET={"jwk_url":"https://api.example.com/.well-known/hasura-jwks.json"}
//
// or it holds the public key itself, which needs no fetch when Hasura
// starts but takes a restart of Hasura to rotate, and leaves Clerk's
// own tokens (getToken({template:'hasura'}) in the browser) unverifiable
// by that Hasura:
//
//	HASURA_GRAPHQL_JWT_SECRET={"type":"Ed25519","key":"<Key.PublicPEM>","issuer":"https://api.example.com"}
//
// The command clerkhasura/cmd/hasura-jwt-key makes a key and prints the
// three values.
//
// # Revocation
//
// A session's token never outlives its session token (Clerk's live a
// minute), and [Signer.EndSession], called from Clerk's session webhook,
// refuses the session at once.
package localjwt
