package main

import (
	"net/http/httptest"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// fakeIssuer is the service's issuer at rung 3 on the fakes.
const fakeIssuer = "https://api.service.example"

// fakes are the in-process Clerk and Hasura the service runs on when no
// Clerk instance is configured: a demo, with Alice's row and a session of
// hers. Their clock, which the service reads too, stands still, so that
// the token of the demo's curl line stays valid while it runs.
type fakes struct {
	st     clerkhasuratest.StandaloneTester
	clock  *clerkhasuratest.Clock
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	// env is the environment that points the service at the fakes.
	env map[string]string
	// token is what Alice's browser would send at the rung: her session
	// token, or at rung 2 her Hasura template token.
	token string
}

// startFakes starts the fakes for rung; Close stops them.
func startFakes(rung int) (*fakes, error) {
	f := &fakes{clock: clerkhasuratest.NewClock(time.Now())}
	f.clerk = clerkhasuratest.NewClerk(&f.st, &clerkhasuratest.ClerkOptions{Clock: f.clock})
	f.env = map[string]string{
		"CLERK_SECRET_KEY":         f.clerk.SecretKey(),
		"CLERK_API_URL":            f.clerk.APIURL(),
		"CLERK_AUTHORIZED_PARTIES": clerkhasuratest.DefaultAuthorizedParty,
		"CLERK_PUBLISHABLE_KEY":    f.clerk.PublishableKey(),
		"CLERK_WEBHOOK_SECRET":     f.clerk.WebhookSecret(),
	}
	hopts := &clerkhasuratest.HasuraOptions{JWKURL: f.clerk.JWKSURL(), Clock: f.clock}
	if rung == 3 {
		key, err := localjwt.GenerateKey()
		if err != nil {
			f.Close()
			return nil, err
		}
		f.env["CLERKHASURA_SIGNING_KEY"] = string(key.MarshalPEM())
		f.env["CLERKHASURA_ISSUER"] = fakeIssuer
		// Hasura fetches the keys as it starts, before the service
		// serves them: the same key, published from here.
		signer, err := newSigner(config{signingKey: f.env["CLERKHASURA_SIGNING_KEY"], issuer: fakeIssuer, clock: f.clock})
		if err != nil {
			f.Close()
			return nil, err
		}
		jwks := httptest.NewServer(signer.JWKSHandler(nil))
		f.st.Cleanup(jwks.Close)
		hopts = &clerkhasuratest.HasuraOptions{Clock: f.clock, JWTSecrets: jwtSecrets(f.clerk.JWKSURL(), clerkhasuratest.DefaultIssuer, jwks.URL, fakeIssuer)}
	}
	f.hasura = clerkhasuratest.NewHasura(&f.st, hopts)
	alice := "Alice"
	f.hasura.Seed(clerkhasuratest.UserRow{ID: "user_alice", Name: &alice})
	f.env["HASURA_GRAPHQL_ENDPOINT"] = f.hasura.URL()

	sid := f.clerk.CreateSession("user_alice")
	f.token = f.clerk.SessionToken(sid)
	if rung == 2 {
		f.token = f.clerk.TemplateToken(sid, "hasura")
	}
	return f, nil
}

// jwtSecrets is the HASURA_GRAPHQL_JWT_SECRETS of rung 3: Clerk's keys and
// the service's, each for its issuer.
func jwtSecrets(clerkJWKS, clerkIssuer, serviceJWKS, serviceIssuer string) string {
	return `[{"jwk_url":"` + clerkJWKS + `","issuer":"` + clerkIssuer + `"},` +
		`{"jwk_url":"` + serviceJWKS + `","issuer":"` + serviceIssuer + `"}]`
}

// getenv reads the fakes' environment, and then the process's for what
// it does not set, such as ADDR.
func (f *fakes) getenv(real func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := f.env[k]; ok {
			return v
		}
		return real(k)
	}
}

// curl is the command that calls GET /me as Alice on the service at addr.
// It holds a token of the fakes, which nothing else trusts.
func (f *fakes) curl(addr string) string {
	host := addr
	if strings.HasPrefix(host, ":") || strings.HasPrefix(host, "[::]:") || strings.HasPrefix(host, "0.0.0.0:") {
		host = "localhost" + host[strings.LastIndex(host, ":"):]
	}
	return "curl -H 'Authorization: Bearer " + f.token + "' http://" + host + "/me"
}

// Close stops the fakes.
func (f *fakes) Close() { f.st.Close() }
