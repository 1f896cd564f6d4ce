package main

import (
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// startFakes starts a fake Clerk whose "hasura" template mints tokens
// living lifetime, and a fake Hasura that trusts it and speaks websockets
// on /v1/graphql; st's Close stops both.
func startFakes(st *clerkhasuratest.StandaloneTester, lifetime time.Duration) (config, error) {
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Lifetime = lifetime
	fc := clerkhasuratest.NewClerk(st, &clerkhasuratest.ClerkOptions{
		Templates: map[string]clerkhasuratest.Template{"hasura": tpl},
	})
	eng, err := fakehasura.New(fakehasura.Config{
		JWT:        &fakehasura.JWTConfig{JWKURL: fc.JWKSURL(), ClaimsNamespace: fakehasura.DefaultClaimsNamespace},
		HTTPClient: fc.HTTPClient(),
	})
	if err != nil {
		return config{}, err
	}
	ws := fakehasura.NewWSServer(eng, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/graphql" && fakehasura.IsWebSocketUpgrade(r) {
			ws.ServeHTTP(w, r)
			return
		}
		eng.ServeHTTP(w, r)
	}))
	st.Cleanup(func() {
		ws.Close()
		srv.Close()
		eng.Close()
	})
	return config{
		endpoint:   srv.URL + "/v1/graphql",
		sessions:   fc.SessionClient(),
		sessionID:  fc.CreateSession("user_online"),
		template:   "hasura",
		duration:   3 * lifetime,
		touchEvery: 300 * time.Millisecond,
	}, nil
}
