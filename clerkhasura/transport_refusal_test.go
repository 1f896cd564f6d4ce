package clerkhasura_test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// trMutation is a request that changes data: running it twice would do the
// change twice.
const trMutation = `{"query":"mutation Pay { insert_payments_one(object: {amount: 10}) { id } }","operationName":"Pay"}`

// TestTransportDoesNotResendWhatMayHaveRun: Hasura passes on the error
// extensions of an action handler or a remote schema, so a handler that did
// its work and then reported "invalid-jwt" for a token of its own produces a
// body with that code. Only Hasura's own refusal of the token, written
// before anything ran, may be sent again.
func TestTransportDoesNotResendWhatMayHaveRun(t *testing.T) {
	const (
		jwtError  = `{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}`
		hdrError  = `{"message":"Malformed Authorization header","extensions":{"path":"$","code":"invalid-headers"}}`
		bigFiller = `{"message":"x","extensions":{"code":"unexpected"}}`
	)
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"action handler's own code", http.StatusOK, `{"errors":[{"message":"payment provider refused our token","extensions":{"code":"invalid-jwt"}}]}`},
		{"action handler's code and path", http.StatusOK, `{"errors":[{"message":"token expired","extensions":{"code":"invalid-jwt","path":"$"}}]}`},
		{"remote schema's message without the verifier's prefix", http.StatusOK, `{"errors":[{"message":"Could not verify JWT","extensions":{"code":"invalid-jwt","path":"$"}}]}`},
		{"verifier's words in lower case", http.StatusOK, `{"errors":[{"message":"could not verify JWT: JWTExpired","extensions":{"code":"invalid-jwt","path":"$"}}]}`},
		{"verifier's message at a field's path", http.StatusOK, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$.selectionSet.insert_payments_one","code":"invalid-jwt"}}]}`},
		{"verifier's message without a path", http.StatusOK, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"code":"invalid-jwt"}}]}`},
		{"null data after the errors", http.StatusOK, `{"errors":[` + jwtError + `],"data":null}`},
		{"two refusals", http.StatusOK, `{"errors":[` + jwtError + `,` + jwtError + `]}`},
		{"a header problem and a refusal", http.StatusOK, `{"errors":[` + hdrError + `,` + jwtError + `]}`},
		{"another error first", http.StatusOK, `{"errors":[` + bigFiller + `,` + jwtError + `]}`},
		{"HTTP 401 with data", http.StatusUnauthorized, `{"data":{"insert_payments_one":{"id":1}}}`},
		{"HTTP 401 with errors and null data", http.StatusUnauthorized, `{"errors":[` + jwtError + `],"data":null}`},
		{"HTTP 401 with a JSON body too large to read", http.StatusUnauthorized, `{"errors":[` + strings.Repeat(bigFiller+",", 400) + jwtError + `]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int64
			hasura := newTrHasura(t, trOnly(), func(w http.ResponseWriter) {
				runs.Add(1)
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			src := &sources.Counting{}
			tr := newTransport(t, hasura.endpoint(), src, nil)
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(trMutation))

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, int64(1), runs.Load(), "the mutation was sent twice")
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, string(got), "the answer arrives intact")
			calls := src.Calls()
			minted := src.Minted()
			assert.Equal(t, 1, calls, "no second token is fetched")
			assert.Equal(t, 1, minted)
		})
	}
}

// TestTransportResendsHasurasOwnRefusal: what Hasura's JWT verifier writes
// (processJwt in Hasura's server/src-lib/Hasura/Server/Auth/JWT.hs: the
// code "invalid-jwt", the path "$" and "Could not verify JWT: " followed by
// the JOSE library's error, with no "data" member) is sent again once, with
// a new token; so is an HTTP 401 whose body shows nothing ran, which comes
// from something in front of Hasura: /v1/graphql answers every error,
// refused tokens included, with HTTP 200.
func TestTransportResendsHasurasOwnRefusal(t *testing.T) {
	refusal := func(reason string) string {
		return `{"errors":[{"message":"Could not verify JWT: ` + reason + `","extensions":{"path":"$","code":"invalid-jwt"}}]}`
	}
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"expired", http.StatusOK, refusal("JWTExpired")},
		{"signed with another key", http.StatusOK, refusal("JWSError JWSInvalidSignature")},
		{"not a JWT", http.StatusOK, refusal("JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)")},
		{"issuer of no configured secret", http.StatusOK, refusal("JWTNotInIssuer")},
		{"extensions first", http.StatusOK, `{"errors":[{"extensions":{"code":"invalid-jwt","path":"$"},"message":"Could not verify JWT: JWTNotYetValid"}]}`},
		{"/v1alpha1/graphql's HTTP 400", http.StatusBadRequest, refusal("JWTExpired")},
		{"HTTP 401, empty", http.StatusUnauthorized, ""},
		{"HTTP 401, a gateway's page", http.StatusUnauthorized, "<html><body>401 Authorization Required</body></html>"},
		{"HTTP 401, a gateway's JSON", http.StatusUnauthorized, `{"message":"Unauthorized"}`},
		{"HTTP 401, Hasura's refusal", http.StatusUnauthorized, refusal("JWTExpired")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hasura := newTrHasura(t, trOnly("tok-2"), trRejectWith(tt.status, tt.body))
			src := &sources.Counting{}
			tr := newTransport(t, hasura.endpoint(), src, nil)
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(trMutation))

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, trDataBody, string(got))
			seen := hasura.requests()
			require.Len(t, seen, 2)
			assert.Equal(t, "Bearer tok-2", seen[1].Authorization)
			assert.Equal(t, trMutation, seen[1].Body)
		})
	}
}

// TestTransportNeverResendsHeaderProblems: another token does not mend a
// header Hasura cannot read.
func TestTransportNeverResendsHeaderProblems(t *testing.T) {
	for _, msg := range []string{
		"Malformed Authorization header",
		"Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
		"Could not verify JWT: Multiple JWTs found",
	} {
		t.Run(msg, func(t *testing.T) {
			body := `{"errors":[{"message":"` + msg + `","extensions":{"path":"$","code":"invalid-headers"}}]}`
			hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, body))
			src := &sources.Counting{}
			tr := newTransport(t, hasura.endpoint(), src, nil)
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(trMutation))
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Len(t, hasura.requests(), 1)
			invalidated := src.Invalidated()
			assert.Empty(t, invalidated, "a token Hasura did not look at is not dropped")
		})
	}
}

// TestTransportReturnsTheRefusalWhenTheSourceKeepsTheToken: a cache that
// will not mint again so soon keeps the refused token; the Transport then
// returns the refusal at once, which the Client reports as ErrAuth.
func TestTransportReturnsTheRefusalWhenTheSourceKeepsTheToken(t *testing.T) {
	fake := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBodyNew))
	src := &sources.Counting{KeepRejected: true}
	tr := newTransport(t, fake.endpoint(), src, nil)
	req, _ := http.NewRequest(http.MethodPost, fake.endpoint(), strings.NewReader(trMutation))

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)

	assert.Equal(t, trExpiredBodyNew, string(got))
	assert.Len(t, fake.requests(), 1, "the same token is not sent again")
	calls := src.Calls()
	minted := src.Minted()
	invalidated := src.Invalidated()
	assert.Equal(t, 2, calls)
	assert.Equal(t, 1, minted)
	assert.Len(t, invalidated, 1)

	c, err := hasura.NewClient(fake.endpoint(), src, nil)
	require.NoError(t, err)
	_, err = c.User(t.Context(), "user_1")
	require.ErrorIs(t, err, hasura.ErrAuth)
	assert.Len(t, fake.requests(), 2, "one request per call")
}
