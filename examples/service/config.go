package main

import (
	"flag"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// config is the service's environment.
type config struct {
	secretKey string
	apiURL    string // Clerk's Backend API; empty means clerk-sdk-go's default
	endpoint  string
	template  string
	parties   []string
	addr      string
	// publishableKey, when set, makes the middleware accept only tokens
	// this instance issued.
	publishableKey string
	// webhookSecret, when set, mounts Clerk's webhook endpoint.
	webhookSecret string
	// rung is how the service gets Hasura tokens: 1 mints them through
	// Clerk, 2 forwards the browser's template tokens, 3 signs them.
	rung int
	// signingKey (PEM) and issuer are rung 3's key and iss.
	signingKey, issuer string
	// clock is what every part of the service reads; nil means the
	// system clock. The fakes' demo stops it.
	clock clerkhasura.Clock
}

// configError is a setting the service cannot use: one line naming the
// variable, never quoting a value.
type configError struct{ msg string }

func (e *configError) Error() string { return "service: " + e.msg }

// rungFlag reads -rung, and CLERKHASURA_RUNG when the flag is absent.
func rungFlag(args []string, getenv func(string) string) (int, error) {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env := strings.TrimSpace(getenv("CLERKHASURA_RUNG"))
	if env == "" {
		env = "1"
	}
	rung := fs.String("rung", env, "how Hasura tokens are made: 1 minted by Clerk, 2 forwarded, 3 signed locally")
	if err := fs.Parse(args); err != nil {
		return 0, &configError{"usage: service [-rung 1|2|3]"}
	}
	if fs.NArg() > 0 {
		return 0, &configError{"usage: service [-rung 1|2|3]: no arguments"}
	}
	n, err := strconv.Atoi(*rung)
	if err != nil || n < 1 || n > 3 {
		return 0, &configError{"-rung and CLERKHASURA_RUNG take 1, 2 or 3"}
	}
	return n, nil
}

// parseConfig reads the flags in args and the environment:
// CLERK_SECRET_KEY and HASURA_GRAPHQL_ENDPOINT (required),
// CLERK_AUTHORIZED_PARTIES (comma-separated origins), ADDR (default
// ":8080"), CLERK_JWT_TEMPLATE (default "hasura"), CLERK_API_URL,
// CLERK_PUBLISHABLE_KEY, CLERK_WEBHOOK_SECRET, CLERKHASURA_RUNG, and for
// rung 3 CLERKHASURA_SIGNING_KEY and CLERKHASURA_ISSUER.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := config{
		secretKey: get("CLERK_SECRET_KEY"),
		apiURL:    get("CLERK_API_URL"),
		endpoint:  get("HASURA_GRAPHQL_ENDPOINT"),
		template:  get("CLERK_JWT_TEMPLATE"),
		addr:      get("ADDR"),

		publishableKey: get("CLERK_PUBLISHABLE_KEY"),
		webhookSecret:  get("CLERK_WEBHOOK_SECRET"),
		signingKey:     get("CLERKHASURA_SIGNING_KEY"),
		issuer:         get("CLERKHASURA_ISSUER"),
	}
	var err error
	if c.rung, err = rungFlag(args, getenv); err != nil {
		return config{}, err
	}
	for _, p := range strings.Split(get("CLERK_AUTHORIZED_PARTIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.parties = append(c.parties, p)
		}
	}
	switch {
	case c.secretKey == "":
		return config{}, &configError{"CLERK_SECRET_KEY is not set"}
	case !strings.HasPrefix(c.secretKey, "sk_"):
		return config{}, &configError{"CLERK_SECRET_KEY is not a Clerk secret key (those start with sk_)"}
	case c.endpoint == "":
		return config{}, &configError{"HASURA_GRAPHQL_ENDPOINT is not set"}
	case !isHTTPURL(c.endpoint):
		return config{}, &configError{"HASURA_GRAPHQL_ENDPOINT is not an http(s) URL such as https://my-project.hasura.app"}
	case c.apiURL != "" && !isHTTPURL(c.apiURL):
		return config{}, &configError{"CLERK_API_URL is not an http(s) URL such as https://api.clerk.com/v1"}
	case c.publishableKey != "" && !strings.HasPrefix(c.publishableKey, "pk_"):
		return config{}, &configError{"CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (those start with pk_)"}
	case c.webhookSecret != "" && !strings.HasPrefix(c.webhookSecret, "whsec_"):
		return config{}, &configError{"CLERK_WEBHOOK_SECRET is not a webhook signing secret (those start with whsec_)"}
	case c.rung == 3 && (c.signingKey == "" || c.issuer == ""):
		return config{}, &configError{"rung 3 needs CLERKHASURA_SIGNING_KEY (a PEM from clerkhasura/cmd/hasura-jwt-key) and CLERKHASURA_ISSUER (the service's URL)"}
	}
	for _, p := range c.parties {
		if !isHTTPURL(p) {
			return config{}, &configError{"CLERK_AUTHORIZED_PARTIES holds an entry that is not an origin such as https://app.example.com"}
		}
	}
	c.endpoint = signin.GraphQLEndpoint(c.endpoint)
	if c.template == "" {
		c.template = "hasura"
	}
	if c.addr == "" {
		c.addr = ":8080"
	}
	return c, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
