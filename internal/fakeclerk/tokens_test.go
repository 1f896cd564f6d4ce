package fakeclerk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpiresInSecondsBounds holds expires_in_seconds to Clerk's [30,
// 315360000] with Clerk's 422 body, while a template may be shorter.
func TestExpiresInSecondsBounds(t *testing.T) {
	s := newTestServer(t)
	require.NoError(t, s.SetTemplate("short", Template{Lifetime: 2 * time.Second}))
	sid, err := s.CreateSession("user_1")
	require.NoError(t, err)
	for _, tc := range []struct {
		template string
		seconds  int64
		status   int
	}{
		{"hasura", 1, http.StatusUnprocessableEntity},
		{"hasura", 29, http.StatusUnprocessableEntity},
		{"hasura", 30, http.StatusOK},
		{"hasura", 315360000, http.StatusOK},
		{"hasura", 315360001, http.StatusUnprocessableEntity},
		{"short", 29, http.StatusUnprocessableEntity},
		{"short", 0, http.StatusUnprocessableEntity},
	} {
		t.Run(fmt.Sprint(tc.template, "/", tc.seconds), func(t *testing.T) {
			rec := serve(s, http.MethodPost, "/v1/sessions/"+sid+"/tokens/"+tc.template,
				fmt.Sprintf(`{"expires_in_seconds":%d}`, tc.seconds))
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.status == http.StatusOK {
				return
			}
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Len(t, body.Errors, 1)
			e := body.Errors[0]
			assert.Equal(t, "form_param_value_invalid", e.Code)
			assert.Equal(t, "expires_in_seconds must be between 30 and 315360000.", e.LongMessage)
			require.NotNil(t, e.Meta)
			assert.Equal(t, "expires_in_seconds", e.Meta.ParamName)
			assert.NotEmpty(t, body.TraceID)
		})
	}

	// A short template lifetime is the fake's allowance for tests.
	tok, err := s.MintTemplateToken(sid, "short", 0)
	require.NoError(t, err)
	raw, err := base64URL(strings.Split(tok, ".")[1])
	require.NoError(t, err)
	var claims struct{ Iat, Exp int64 }
	require.NoError(t, json.Unmarshal(raw, &claims))
	assert.Equal(t, int64(2), claims.Exp-claims.Iat)
}
