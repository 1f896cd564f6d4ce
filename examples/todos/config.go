package main

import (
	"errors"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// config is what the environment asks for: in-process fakes, or a Clerk
// instance and a Hasura.
type config struct {
	fakes bool
	env   signin.Env
	id    signin.Identity
}

// settings are the variables the example reads; none set means the fakes.
var settings = []string{"CLERK_SECRET_KEY", "HASURA_GRAPHQL_ENDPOINT", "CLERK_SESSION_ID", "CLERK_USER_ID", "CLERK_JWT_TEMPLATE", "CLERK_API_URL"}

const howTo = "; set CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID (or CLERK_USER_ID) to run on your Clerk and Hasura, or none of them to run on in-process fakes"

// readConfig reads the environment through getenv. Its errors are one
// line naming the variable at fault, never its value.
func readConfig(getenv func(string) string) (config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	set := false
	for _, name := range settings {
		set = set || get(name) != ""
	}
	if !set {
		return config{fakes: true}, nil
	}
	env, err := signin.ReadEnv(getenv)
	if err != nil {
		return config{}, errors.New(err.Error() + howTo)
	}
	id := signin.Identity{SessionID: get("CLERK_SESSION_ID"), UserID: get("CLERK_USER_ID")}
	switch {
	case id.SessionID == "" && id.UserID == "":
		return config{}, errors.New("CLERK_SESSION_ID (or CLERK_USER_ID) is not set" + howTo)
	case id.SessionID != "" && id.UserID != "":
		return config{}, errors.New("both CLERK_SESSION_ID and CLERK_USER_ID are set: set one of them")
	}
	return config{env: env, id: id}, nil
}
