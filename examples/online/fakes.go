package main

import (
	"fmt"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// startFakes starts a fake Clerk whose "hasura" template mints tokens
// living lifetime, and a fake Hasura that trusts it and serves
// subscriptions over websockets on /v1/graphql; st's Close stops both.
// The fakes report a failure to start by panicking through st, which
// startFakes returns as an error.
func startFakes(st *clerkhasuratest.StandaloneTester, lifetime time.Duration) (cfg config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("starting the fakes: %v", r)
		}
	}()
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Lifetime = lifetime
	fc := clerkhasuratest.NewClerk(st, &clerkhasuratest.ClerkOptions{
		Templates: map[string]clerkhasuratest.Template{"hasura": tpl},
	})
	fh := clerkhasuratest.NewHasura(st, &clerkhasuratest.HasuraOptions{
		JWKURL:     fc.JWKSURL(),
		HTTPClient: fc.HTTPClient(),
	})
	return config{
		fakes:      true,
		endpoint:   fh.Endpoint(),
		sessions:   fc.SessionClient(),
		sessionID:  fc.CreateSession("user_online"),
		template:   "hasura",
		duration:   3 * lifetime,
		touchEvery: 300 * time.Millisecond,
	}, nil
}
