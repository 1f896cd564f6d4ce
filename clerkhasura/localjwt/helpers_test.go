package localjwt_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testIssuer = "https://api.example.test"

// epoch is the tests' present: a time no test depends on beyond being
// fixed.
var epoch = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// newClock is the clock tests move by hand, shared by the signer and the
// fakes.
func newClock(t time.Time) *clerkhasuratest.Clock { return clerkhasuratest.NewClock(t) }

func mustKey(t testing.TB) *localjwt.Key {
	t.Helper()
	k, err := localjwt.GenerateKey()
	require.NoError(t, err)
	return k
}

// newSigner makes a signer with one key signing for the past hour, on
// clock, unless opts names keys.
func newSigner(t testing.TB, clock *clerkhasuratest.Clock, opts localjwt.Options) *localjwt.Signer {
	t.Helper()
	if opts.Issuer == "" {
		opts.Issuer = testIssuer
	}
	if opts.Keys == nil {
		opts.Keys = []localjwt.ScheduledKey{{Key: mustKey(t), SignFrom: clock.Now().Add(-time.Hour)}}
	}
	opts.Clock = clock
	s, err := localjwt.New(&opts)
	require.NoError(t, err)
	return s
}

// sessionClaims verifies a session token of the fake Clerk as a
// middleware would, with clerk-sdk-go.
func sessionClaims(t testing.TB, fc *clerkhasuratest.Clerk, clock *clerkhasuratest.Clock, token string) *clerk.SessionClaims {
	t.Helper()
	claims, err := jwt.Verify(context.Background(), &jwt.VerifyParams{Token: token, JWKSClient: fc.JWKSClient(), Clock: clock})
	require.NoError(t, err)
	return claims
}

// claimsFor are session claims as jwt.Verify returns them, for tests
// that need no fake Clerk.
func claimsFor(sid, sub string, exp time.Time) *clerk.SessionClaims {
	e := exp.Unix()
	return &clerk.SessionClaims{
		RegisteredClaims: clerk.RegisteredClaims{Issuer: clerkhasuratest.DefaultIssuer, Subject: sub, Expiry: &e},
		Claims:           clerk.Claims{SessionID: sid},
	}
}

// token gets a token from src.
func token(t testing.TB, src clerkhasura.TokenSource) *clerkhasura.Token {
	t.Helper()
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	return tok
}

// sourceToken is Source then Token.
func sourceToken(t testing.TB, s *localjwt.Signer, claims *clerk.SessionClaims) *clerkhasura.Token {
	t.Helper()
	src, err := s.Source(claims)
	require.NoError(t, err)
	return token(t, src)
}

// parts decodes a compact JWT's header and payload without verifying it.
func parts(t testing.TB, compact string) (header, payload map[string]any) {
	t.Helper()
	segs := strings.Split(compact, ".")
	require.Len(t, segs, 3)
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(segs[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, dst))
	}
	return header, payload
}

// hasuraClaims is the claims namespace object of a token.
func hasuraClaims(t testing.TB, compact string) map[string]any {
	t.Helper()
	_, p := parts(t, compact)
	ns, ok := p["https://hasura.io/jwt/claims"].(map[string]any)
	require.True(t, ok, "no Hasura claims in %v", p)
	return ns
}

// claimsOf is hasuraClaims for goroutines other than the test's: nil
// when compact does not decode.
func claimsOf(compact string) map[string]any {
	segs := strings.Split(compact, ".")
	if len(segs) != 3 {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(segs[1])
	if err != nil {
		return nil
	}
	var p struct {
		Hasura map[string]any `json:"https://hasura.io/jwt/claims"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return nil
	}
	return p.Hasura
}

// query asks the fake Hasura for the users the token's role sees and
// returns the body, with optional extra headers.
func query(t testing.TB, fh *clerkhasuratest.Hasura, token string, headers ...string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fh.Endpoint(), strings.NewReader(`{"query":"{ users { id } }"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := fh.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// invalidJWT is Hasura's body for a token it could not verify.
func invalidJWT(reason string) string {
	return `{"errors":[{"message":"Could not verify JWT: ` + reason + `","extensions":{"path":"$","code":"invalid-jwt"}}]}`
}
