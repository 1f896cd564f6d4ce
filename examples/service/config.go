package main

import (
	"net/url"
	"strings"
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
}

// configError is a setting the service cannot use: one line naming the
// variable, never quoting a value.
type configError struct{ msg string }

func (e *configError) Error() string { return "service: " + e.msg }

// parseConfig reads CLERK_SECRET_KEY and HASURA_GRAPHQL_ENDPOINT
// (required), CLERK_AUTHORIZED_PARTIES (comma-separated origins), ADDR
// (default ":8080"), CLERK_JWT_TEMPLATE (default "hasura"), CLERK_API_URL,
// CLERK_PUBLISHABLE_KEY and CLERK_WEBHOOK_SECRET.
func parseConfig(getenv func(string) string) (config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := config{
		secretKey: get("CLERK_SECRET_KEY"),
		apiURL:    get("CLERK_API_URL"),
		endpoint:  get("HASURA_GRAPHQL_ENDPOINT"),
		template:  get("CLERK_JWT_TEMPLATE"),
		addr:      get("ADDR"),

		publishableKey: get("CLERK_PUBLISHABLE_KEY"),
		webhookSecret:  get("CLERK_WEBHOOK_SECRET"),
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
		return config{}, &configError{"HASURA_GRAPHQL_ENDPOINT is not an http(s) URL such as https://my-project.hasura.app/v1/graphql"}
	case c.apiURL != "" && !isHTTPURL(c.apiURL):
		return config{}, &configError{"CLERK_API_URL is not an http(s) URL such as https://api.clerk.com/v1"}
	case c.publishableKey != "" && !strings.HasPrefix(c.publishableKey, "pk_"):
		return config{}, &configError{"CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (those start with pk_)"}
	case c.webhookSecret != "" && !strings.HasPrefix(c.webhookSecret, "whsec_"):
		return config{}, &configError{"CLERK_WEBHOOK_SECRET is not a webhook signing secret (those start with whsec_)"}
	}
	for _, p := range c.parties {
		if !isHTTPURL(p) {
			return config{}, &configError{"CLERK_AUTHORIZED_PARTIES holds an entry that is not an origin such as https://app.example.com"}
		}
	}
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
