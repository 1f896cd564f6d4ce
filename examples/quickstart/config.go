package main

import (
	"net/url"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// The environment variables the quickstart reads.
const (
	envSecretKey = "CLERK_SECRET_KEY"
	envEndpoint  = "HASURA_GRAPHQL_ENDPOINT"
	envSession   = "CLERK_SESSION_ID"
	envUser      = "CLERK_USER_ID"
	envTemplate  = "CLERK_JWT_TEMPLATE"
	envAPIURL    = "CLERK_API_URL"
)

// defaultTemplate is the name Clerk's dashboard gives the Hasura template.
const defaultTemplate = "hasura"

// config is what the environment asks for: in-process fakes, or a real
// Clerk instance and Hasura project.
type config struct {
	fakes     bool
	secretKey string
	apiURL    string // Clerk's Backend API; empty means clerk-sdk-go's default
	endpoint  string
	sessionID string // the session to act for, or
	userID    string // the user to create a session for
	template  string
}

// configError is a setting the quickstart cannot use. Its message is one
// line naming the variable, and never quotes a value.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

const howTo = "set CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID (or CLERK_USER_ID) to run on your Clerk and Hasura, or none of them to run on in-process fakes"

// parseConfig reads the environment through getenv. No variable set means
// the fakes; otherwise the secret key, the endpoint and exactly one of the
// session and user IDs are needed.
func parseConfig(getenv func(string) string) (config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := config{
		secretKey: get(envSecretKey),
		apiURL:    get(envAPIURL),
		endpoint:  get(envEndpoint),
		sessionID: get(envSession),
		userID:    get(envUser),
		template:  get(envTemplate),
	}
	if c == (config{}) {
		c.fakes = true
		c.template = defaultTemplate
		return c, nil
	}
	if c.sessionID != "" && c.userID != "" {
		return config{}, &configError{"quickstart: both CLERK_SESSION_ID and CLERK_USER_ID are set: set one of them"}
	}
	var missing []string
	if c.secretKey == "" {
		missing = append(missing, envSecretKey)
	}
	if c.endpoint == "" {
		missing = append(missing, envEndpoint)
	}
	if c.sessionID == "" && c.userID == "" {
		missing = append(missing, envSession+" (or "+envUser+")")
	}
	switch len(missing) {
	case 0:
	case 1:
		return config{}, &configError{"quickstart: " + missing[0] + " is not set; " + howTo}
	default:
		list := strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
		return config{}, &configError{"quickstart: " + list + " are not set; " + howTo}
	}
	if !strings.HasPrefix(c.secretKey, "sk_") {
		return config{}, &configError{"quickstart: CLERK_SECRET_KEY is not a Clerk secret key (those start with sk_)"}
	}
	if !isHTTPURL(c.endpoint) {
		return config{}, &configError{"quickstart: HASURA_GRAPHQL_ENDPOINT is not an http(s) URL such as https://my-project.hasura.app"}
	}
	c.endpoint = signin.GraphQLEndpoint(c.endpoint)
	if c.apiURL != "" && !isHTTPURL(c.apiURL) {
		return config{}, &configError{"quickstart: CLERK_API_URL is not an http(s) URL such as https://api.clerk.com/v1"}
	}
	if c.template == "" {
		c.template = defaultTemplate
	}
	return c, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
