package signin

import (
	"context"
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestGraphQLEndpoint(t *testing.T) {
	for raw, want := range map[string]string{
		"https://my-project.hasura.app":                      "https://my-project.hasura.app/v1/graphql",
		"https://my-project.hasura.app/":                     "https://my-project.hasura.app/v1/graphql",
		"http://localhost:8080":                              "http://localhost:8080/v1/graphql",
		"http://localhost:8080/hasura/":                      "http://localhost:8080/hasura/v1/graphql",
		"https://my-project.hasura.app/v1/graphql":           "https://my-project.hasura.app/v1/graphql",
		"https://my-project.hasura.app/v1/graphql/":          "https://my-project.hasura.app/v1/graphql",
		"https://my-project.hasura.app/v1alpha1/graphql":     "https://my-project.hasura.app/v1alpha1/graphql",
		"https://gateway.example/api/graphql":                "https://gateway.example/api/graphql",
		"https://gateway.example/hasura%2Fprefix?tenant=a":   "https://gateway.example/hasura%2Fprefix/v1/graphql?tenant=a",
		"https://user:pass@my-project.hasura.app/v1/graphql": "https://user:pass@my-project.hasura.app/v1/graphql",
		"https://my-project.hasura.app:8443":                 "https://my-project.hasura.app:8443/v1/graphql",
		"https://my-project.hasura.app/v1/graphqlx":          "https://my-project.hasura.app/v1/graphqlx/v1/graphql",
		"::not a url": "::not a url",
	} {
		assert.Equal(t, want, GraphQLEndpoint(raw), raw)
	}
}

func TestReadEnv(t *testing.T) {
	base := map[string]string{"CLERK_SECRET_KEY": "sk_test_1", "HASURA_GRAPHQL_ENDPOINT": "https://h.example"}
	with := func(k, v string) map[string]string {
		env := map[string]string{}
		for name, val := range base {
			env[name] = val
		}
		env[k] = v
		return env
	}
	read := func(env map[string]string) (Env, error) { return ReadEnv(func(k string) string { return env[k] }) }

	env, err := read(base)
	require.NoError(t, err)
	assert.Equal(t, Env{SecretKey: "sk_test_1", Endpoint: "https://h.example/v1/graphql", Template: DefaultTemplate}, env)
	env, err = read(with("CLERK_JWT_TEMPLATE", " mine "))
	require.NoError(t, err)
	assert.Equal(t, "mine", env.Template)

	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"no key":           {with("CLERK_SECRET_KEY", " "), "CLERK_SECRET_KEY is not set"},
		"publishable key":  {with("CLERK_SECRET_KEY", "pk_test_secretish"), "CLERK_SECRET_KEY is not a Clerk secret key (those start with sk_)"},
		"no endpoint":      {with("HASURA_GRAPHQL_ENDPOINT", ""), "HASURA_GRAPHQL_ENDPOINT is not set"},
		"endpoint no URL":  {with("HASURA_GRAPHQL_ENDPOINT", "h.example/v1/graphql"), "HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
		"endpoint ws":      {with("HASURA_GRAPHQL_ENDPOINT", "wss://h.example/v1/graphql"), "HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
		"Clerk API no URL": {with("CLERK_API_URL", "api.clerk.com"), "CLERK_API_URL is not an http(s) URL"},
	} {
		_, err := read(tc.env)
		assert.EqualError(t, err, tc.want, name)
		if err != nil {
			assert.NotContains(t, err.Error(), "secretish", name)
		}
	}
}

func TestIdentityFlags(t *testing.T) {
	parse := func(args ...string) error {
		var id Identity
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		id.AddFlags(fs)
		require.NoError(t, fs.Parse(args))
		return id.Check()
	}
	assert.NoError(t, parse("-session", "sess_1"))
	assert.NoError(t, parse("-user", "user_1"))
	assert.EqualError(t, parse(), "-session or -user is required")
	assert.EqualError(t, parse("-session", "s", "-user", "u"), "-session and -user exclude each other")
}

func fakeEnv(c *clerkhasuratest.Clerk) Env {
	return Env{SecretKey: c.SecretKey(), APIURL: c.APIURL(), Endpoint: "http://h.invalid/v1/graphql", Template: DefaultTemplate}
}

func TestSignInAsUserRevokesTheSession(t *testing.T) {
	c := clerkhasuratest.NewClerk(t, nil)
	ctx := context.Background()
	s, err := SignIn(ctx, fakeEnv(c), Identity{UserID: "user_alice"})
	require.NoError(t, err)
	tok, err := s.Tokens.Token(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, tok.Value)
	assert.Equal(t, int64(1), c.Stats().TokensMinted, "a session was made and minted for")

	require.NoError(t, s.Close(ctx))
	require.NoError(t, s.Close(ctx))
	assert.Equal(t, int64(1), c.Stats().SessionsRevoked, "revoked once")
}

func TestSignInAsSession(t *testing.T) {
	c := clerkhasuratest.NewClerk(t, nil)
	ctx := context.Background()
	sid := c.CreateSession("user_bob")
	s, err := SignIn(ctx, fakeEnv(c), Identity{SessionID: sid})
	require.NoError(t, err)
	_, err = s.Tokens.Token(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))
	assert.Zero(t, c.Stats().SessionsRevoked, "a session the user gave is theirs to keep")

	ended := c.CreateSession("user_bob")
	c.RevokeSession(ended)
	s, err = SignIn(ctx, fakeEnv(c), Identity{SessionID: ended})
	require.NoError(t, err, "no call to Clerk before the first token")
	_, err = s.Tokens.Token(ctx)
	assert.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	require.NoError(t, s.Close(ctx))
}

func TestSignInReportsClerkFailures(t *testing.T) {
	c := clerkhasuratest.NewClerk(t, nil)
	ctx := context.Background()
	c.FailNext(1, clerkhasuratest.Fault{Status: 422, Path: "/v1/sessions"})
	_, err := SignIn(ctx, fakeEnv(c), Identity{UserID: "user_alice"})
	require.Error(t, err)
	assert.Regexp(t, `^creating a session for user_alice \(development instances only\): HTTP 422: `, err.Error())

	c.FailNext(1, clerkhasuratest.Fault{Status: 502, Body: "<html>\n<h1>Bad gateway</h1>\n</html>", Path: "/v1/sessions"})
	_, err = SignIn(ctx, fakeEnv(c), Identity{UserID: "user_alice"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")

	s, err := SignIn(ctx, fakeEnv(c), Identity{UserID: "user_alice"})
	require.NoError(t, err)
	c.FailNext(1, clerkhasuratest.Fault{Status: 500, Path: "/revoke"})
	err = s.Close(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "revoking session sess_")
	assert.NotContains(t, err.Error(), c.SecretKey())
}

func TestSignInRefusesNoIdentity(t *testing.T) {
	_, err := SignIn(context.Background(), Env{}, Identity{})
	assert.EqualError(t, err, "-session or -user is required")
}
