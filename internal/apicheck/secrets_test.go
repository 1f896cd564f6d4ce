package apicheck

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// Secrets of the printing test, each unlike anything else in the output.
const (
	fmtSecretKey   = "sk_test_fmtSecretKeyThatMustNeverBePrinted0001"
	fmtAdminSecret = "fmt-admin-secret-that-must-never-be-printed-0002"
)

// fmtWorld is every exported value of the module that holds a token or a
// key, built with real ones inside, each having been used once, so that
// whatever it caches is there too.
type fmtWorld struct {
	secrets []string
	values  map[string]any
}

func newFmtWorld(t *testing.T) *fmtWorld {
	t.Helper()
	testkit.CheckLeaks(t)
	ctx := context.Background()
	w := &fmtWorld{secrets: []string{fmtSecretKey, fmtAdminSecret}, values: make(map[string]any)}
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{SecretKey: fmtSecretKey})
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL: fc.JWKSURL(), HTTPClient: fc.HTTPClient(), AdminSecret: fmtAdminSecret,
	})
	ada := "Ada"
	fh.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &ada})
	sid := fc.CreateSession("user_ada")
	w.values["clerkhasuratest.Clerk"] = fc
	w.values["clerkhasuratest.Hasura"] = fh

	// The token layer.
	cached := sources.Cached(t, sources.Session(t, fc.SessionClient(), sid, "hasura", nil), nil)
	t.Cleanup(func() { cached.Close() })
	tok, err := cached.Token(ctx)
	require.NoError(t, err)
	w.secrets = append(w.secrets, tok.Value)
	w.values["*Token"] = tok
	w.values["Token"] = *tok
	w.values["CachedTokenSource"] = cached
	w.values["NewSessionTokenSource"] = sources.Session(t, fc.SessionClient(), sid, "hasura", nil)

	tokens := sources.SessionTokens(t, fc.SessionClient(), "hasura", nil)
	t.Cleanup(func() { tokens.Close() })
	src := tokens.Source(sid)
	stok, err := src.Token(ctx)
	require.NoError(t, err)
	w.secrets = append(w.secrets, stok.Value)
	w.values["SessionTokens"] = tokens
	w.values["SessionTokens.Source"] = src

	tr, err := clerkhasura.NewTransport(fh.Endpoint(), cached, nil)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Post(fh.Endpoint(), "application/json",
		strings.NewReader(`{"query":"query Q { users { id } }","operationName":"Q"}`))
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	w.values["Transport"] = tr

	// The Hasura client and subscriptions.
	hc, err := hasura.NewClient(fh.Endpoint(), cached, nil)
	require.NoError(t, err)
	_, err = hc.Me(ctx)
	require.NoError(t, err)
	w.values["Client"] = hc

	var subTokens []string // read after the first event, written before it
	mint := sources.Session(t, fc.SessionClient(), sid, "hasura", nil)
	subSrc := sources.Func(func(ctx context.Context) (*clerkhasura.Token, error) {
		tok, err := mint.Token(ctx)
		if err == nil {
			subTokens = append(subTokens, tok.Value)
		}
		return tok, err
	})
	sc, err := subscription.New(fh.Endpoint(), subSrc, nil)
	require.NoError(t, err)
	t.Cleanup(func() { sc.Close() })
	_, err = sc.Start(ctx)
	require.NoError(t, err)
	events, err := sc.WatchMe(ctx)
	require.NoError(t, err)
	select {
	case ev := <-events:
		require.NoError(t, ev.Err)
	case <-time.After(10 * time.Second):
		t.Fatal("no event from the subscription")
	}
	require.NotEmpty(t, subTokens)
	w.secrets = append(w.secrets, subTokens...)
	w.values["subscription.Client"] = sc

	// The middleware, after it verified a request.
	mw, err := middleware.New(fh.Endpoint(), tokens, &middleware.Options{JWKSClient: fc.JWKSClient()})
	require.NoError(t, err)
	sessionToken := fc.SessionToken(sid)
	w.secrets = append(w.secrets, sessionToken)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+sessionToken)
	mw.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	w.values["Middleware"] = mw

	wh, err := webhook.NewHandler(fc.WebhookSecret(), nil, tokens)
	require.NoError(t, err)
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(fc.WebhookSecret(), "whsec_"))
	require.NoError(t, err)
	w.secrets = append(w.secrets, fc.WebhookSecret(), strings.TrimPrefix(fc.WebhookSecret(), "whsec_"), string(key))
	w.values["webhook.Handler"] = wh

	w.addErrors(t, fc, sid, sessionToken)
	return w
}

// echoPage is what a proxy that echoes the request answers.
func echoPage(r *http.Request) string {
	return "<h1>502 Bad Gateway</h1><pre>Authorization: " + r.Header.Get("Authorization") + "</pre>"
}

// addErrors adds the module's errors, each made from a reply that quotes
// a secret.
func (w *fmtWorld) addErrors(t *testing.T, fc *clerkhasuratest.Clerk, sid, sessionToken string) {
	t.Helper()
	ctx := context.Background()

	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, ContentType: "text/html",
		Body: "<pre>Authorization: Bearer " + fmtSecretKey + "</pre>"})
	_, err := sources.Session(t, fc.SessionClient(), sid, "hasura", nil).Token(ctx)
	require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
	w.values["ClerkError, proxy page"] = err

	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, ContentType: "text/html",
		Body: "<pre>Authorization: Bearer " + fmtSecretKey + "</pre>", Path: "/v1/jwks"})
	var aerr *middleware.AuthError
	tokens := sources.SessionTokens(t, fc.SessionClient(), "hasura", nil)
	t.Cleanup(func() { tokens.Close() })
	mw, err := middleware.New("https://h.example/v1/graphql", tokens, &middleware.Options{
		JWKSClient:   fc.JWKSClient(),
		ErrorHandler: func(_ http.ResponseWriter, _ *http.Request, err *middleware.AuthError) { aerr = err },
	})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+sessionToken)
	mw.Handler(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), req)
	require.NotNil(t, aerr)
	w.values["AuthError, JWKS proxy page"] = aerr

	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("json") {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(rw, `{"headers":{"Authorization":"`+r.Header.Get("Authorization")+`"}}`)
			return
		}
		rw.Header().Set("Content-Type", "text/html")
		rw.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(rw, echoPage(r))
	}))
	t.Cleanup(proxy.Close)
	src := sources.Cached(t, sources.Session(t, fc.SessionClient(), sid, "hasura", nil), nil)
	t.Cleanup(func() { src.Close() })
	tok, err := src.Token(ctx)
	require.NoError(t, err)
	w.secrets = append(w.secrets, tok.Value)
	for _, endpoint := range []string{proxy.URL + "/v1/graphql", proxy.URL + "/v1/graphql?json"} {
		hc, err := hasura.NewClient(endpoint, src, nil)
		require.NoError(t, err)
		_, err = hc.Me(ctx)
		require.Error(t, err)
		w.values["hasura.Error, "+endpoint[len(proxy.URL):]] = err
	}

	_, err = hasura.NewClient("ftp://user:"+fmtAdminSecret+"@h.example/v1/graphql", src, nil)
	require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
	w.values["InputError, endpoint"] = err

}

func TestNoSecretInAnyPrintedValue(t *testing.T) {
	w := newFmtWorld(t)
	for name, v := range w.values {
		t.Run(name, func(t *testing.T) {
			testkit.AssertNoSecret(t, v, w.secrets...)
		})
	}
}
