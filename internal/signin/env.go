package signin

import (
	"errors"
	"flag"
	"net/url"
	"strings"
)

// DefaultTemplate is the JWT template used when CLERK_JWT_TEMPLATE is not
// set.
const DefaultTemplate = "hasura"

// EnvHelp is the Environment section of a command's help.
const EnvHelp = `Environment:
  CLERK_SECRET_KEY         the Clerk instance's secret key (required)
  HASURA_GRAPHQL_ENDPOINT  Hasura's base URL, as the Hasura CLI reads it, such as
                           https://my-project.hasura.app, or its GraphQL
                           endpoint, https://my-project.hasura.app/v1/graphql
                           (required)
  CLERK_JWT_TEMPLATE       the JWT template (default "hasura")
  CLERK_API_URL            Clerk's Backend API (default https://api.clerk.com/v1)
`

// Identity is whom a command acts for: the -session and -user flags.
type Identity struct {
	// SessionID is an existing Clerk session.
	SessionID string
	// UserID is a Clerk user, for whom [SignIn] creates a session.
	UserID string
}

// AddFlags defines -session and -user on fs.
func (id *Identity) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&id.SessionID, "session", "", "act for this Clerk `session ID`")
	fs.StringVar(&id.UserID, "user", "", "act for this Clerk `user ID`, through a session created for the run (development instances)")
}

// Check returns why the flags do not name exactly one identity.
func (id Identity) Check() error {
	switch {
	case id.SessionID == "" && id.UserID == "":
		return errors.New("-session or -user is required")
	case id.SessionID != "" && id.UserID != "":
		return errors.New("-session and -user exclude each other")
	}
	return nil
}

// Env is what the environment says about the services.
type Env struct {
	// SecretKey is CLERK_SECRET_KEY.
	SecretKey string
	// APIURL is CLERK_API_URL; empty means Clerk's own.
	APIURL string
	// Endpoint is Hasura's GraphQL endpoint, from HASURA_GRAPHQL_ENDPOINT
	// (see [GraphQLEndpoint]).
	Endpoint string
	// Template is CLERK_JWT_TEMPLATE, or [DefaultTemplate].
	Template string
}

// ReadEnv reads the environment through getenv. Its errors name the
// variable at fault, never its value.
func ReadEnv(getenv func(string) string) (Env, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	env := Env{SecretKey: get("CLERK_SECRET_KEY"), APIURL: get("CLERK_API_URL"), Template: get("CLERK_JWT_TEMPLATE")}
	endpoint := get("HASURA_GRAPHQL_ENDPOINT")
	switch {
	case env.SecretKey == "":
		return Env{}, errors.New("CLERK_SECRET_KEY is not set")
	case !strings.HasPrefix(env.SecretKey, "sk_"):
		return Env{}, errors.New("CLERK_SECRET_KEY is not a Clerk secret key (those start with sk_)")
	case endpoint == "":
		return Env{}, errors.New("HASURA_GRAPHQL_ENDPOINT is not set")
	case !isHTTPURL(endpoint):
		return Env{}, errors.New("HASURA_GRAPHQL_ENDPOINT is not an http(s) URL")
	case env.APIURL != "" && !isHTTPURL(env.APIURL):
		return Env{}, errors.New("CLERK_API_URL is not an http(s) URL")
	}
	env.Endpoint = GraphQLEndpoint(endpoint)
	if env.Template == "" {
		env.Template = DefaultTemplate
	}
	return env, nil
}

// GraphQLEndpoint reads HASURA_GRAPHQL_ENDPOINT as both the Hasura CLI
// and the examples write it: a URL whose path ends in /graphql, such as
// https://my-project.hasura.app/v1/graphql, is the GraphQL endpoint
// itself; any other, such as https://my-project.hasura.app or
// http://localhost:8080/hasura, is the server's base URL and gets
// /v1/graphql. A trailing slash is dropped. A value that is not a URL is
// returned as it is, for the caller's check to refuse.
func GraphQLEndpoint(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if !strings.HasSuffix(path, "/graphql") {
		path += "/v1/graphql"
	}
	if u.Path, err = url.PathUnescape(path); err != nil {
		return raw
	}
	u.RawPath = path
	return u.String()
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
