package fakeclerk

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompileTemplateDefaults(t *testing.T) {
	for _, tc := range []struct {
		name           string
		tpl            Template
		lifetime, skew time.Duration
	}{
		{"zero", Template{}, DefaultLifetime, DefaultAllowedClockSkew},
		{"set", Template{Lifetime: 2 * time.Second, AllowedClockSkew: time.Minute}, 2 * time.Second, time.Minute},
		{"negative skew is none", Template{AllowedClockSkew: -time.Second}, DefaultLifetime, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := compileTemplate("t", tc.tpl)
			require.NoError(t, err)
			assert.Equal(t, tc.lifetime, c.lifetime)
			assert.Equal(t, tc.skew, c.skew)
		})
	}
}

func TestCompileTemplateRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, template string
		tpl            Template
	}{
		{"empty name", "", Template{}},
		{"query in name", "a?b", Template{}},
		{"hash in name", "a#b", Template{}},
		{"negative lifetime", "t", Template{Lifetime: -time.Second}},
		{"sub-second lifetime", "t", Template{Lifetime: time.Millisecond}},
		{"reserved jti", "t", Template{Claims: map[string]any{"jti": "x"}}},
		{"reserved iss", "t", Template{Claims: map[string]any{"iss": "x"}}},
		{"unknown shortcode", "t", Template{Claims: map[string]any{"a": []any{"{{user.first_name}}"}}}},
		{"not JSON", "t", Template{Claims: map[string]any{"c": make(chan int)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileTemplate(tc.template, tc.tpl)
			assert.True(t, errors.Is(err, ErrInvalidTemplate), "got %v", err)
		})
	}
}

func TestRenderTemplate(t *testing.T) {
	c, err := compileTemplate("t", Template{Claims: map[string]any{
		"a":     "{{user.id}}",
		"b":     []any{map[string]any{"c": "x-{{session.id}}-{{user.id}}"}},
		"n":     12345678901234,
		"empty": map[string]any{},
	}})
	require.NoError(t, err)
	got, err := c.render("user_1", "sess_1")
	require.NoError(t, err)
	assert.Equal(t, "user_1", got["a"])
	assert.Equal(t, []any{map[string]any{"c": "x-sess_1-user_1"}}, got["b"])
	assert.Equal(t, "12345678901234", got["n"].(interface{ String() string }).String(), "large integers stay exact")

	again, err := c.render("user_2", "sess_2")
	require.NoError(t, err)
	assert.Equal(t, "user_2", again["a"], "each render starts from the template")
	assert.Equal(t, "user_1", got["a"])
}

func FuzzRenderUserID(f *testing.F) {
	for _, seed := range []string{"user_1", "", `"quoted"`, "{{user.id}}", "<&>", "\u2028", "\x00"} {
		f.Add(seed)
	}
	c, err := compileTemplate("t", Template{Claims: map[string]any{
		"id": "{{user.id}}", "nested": []any{"pre {{user.id}} post"},
	}})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, userID string) {
		got, err := c.render(userID, "sess_1")
		require.NoError(t, err)
		assert.Equal(t, userID, got["id"])
		assert.Equal(t, []any{"pre " + userID + " post"}, got["nested"])
	})
}

func TestListTemplates(t *testing.T) {
	s := newTestServer(t)
	require.NoError(t, s.SetTemplate("alpha", Template{Lifetime: 90 * time.Second, AllowedClockSkew: -1}))
	hasuraID := func() string {
		var page templateListJSON
		rec := serve(s, "GET", "/v1/jwt_templates?paginated=true", "-")
		require.Equal(t, 200, rec.Code)
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		return page.Data[1].ID
	}

	rec := serve(s, "GET", "/v1/jwt_templates?paginated=true", "-")
	require.Equal(t, 200, rec.Code)
	var page struct {
		Data []map[string]any `json:"data"`
		N    int              `json:"total_count"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	assert.Equal(t, 2, page.N)
	require.Len(t, page.Data, 2)
	alpha, hasura := page.Data[0], page.Data[1]
	assert.Equal(t, "alpha", alpha["name"], "in name order")
	assert.Equal(t, "jwt_template", alpha["object"])
	assert.Equal(t, 90.0, alpha["lifetime"])
	assert.Equal(t, 0.0, alpha["allowed_clock_skew"])
	assert.Equal(t, "RS256", alpha["signing_algorithm"])
	assert.Equal(t, false, alpha["custom_signing_key"])
	assert.Regexp(t, `^jtmp_[0-9A-Za-z]{27}$`, alpha["id"])
	assert.Equal(t, map[string]any{"u": "{{user.id}}"}, hasura["claims"], "claims as written")
	assert.Equal(t, 60.0, hasura["lifetime"])
	assert.Equal(t, 5.0, hasura["allowed_clock_skew"])
	for _, k := range []string{"created_at", "updated_at"} {
		assert.InDelta(t, float64(time.Now().UnixMilli()), alpha[k], 60_000)
	}

	id := hasuraID()
	require.NoError(t, s.SetTemplate("hasura", Template{}))
	assert.Equal(t, id, hasuraID(), "replacing a template keeps its ID")

	rec = serve(s, "GET", "/v1/jwt_templates", "-")
	require.Equal(t, 200, rec.Code)
	var bare []templateJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &bare), "a bare array without paginated=true")
	assert.Len(t, bare, 2)

	for _, q := range []string{"limit=1&offset=1", "limit=1&offset=5", "offset=2"} {
		rec = serve(s, "GET", "/v1/jwt_templates?paginated=true&"+q, "-")
		require.Equal(t, 200, rec.Code, q)
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		assert.Equal(t, 2, page.N, q)
		switch q {
		case "limit=1&offset=1":
			require.Len(t, page.Data, 1)
			assert.Equal(t, "hasura", page.Data[0]["name"])
		default:
			assert.Empty(t, page.Data, q)
		}
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "offset=-1", "offset=9223372036854775808"} {
		rec = serve(s, "GET", "/v1/jwt_templates?"+q, "-")
		assert.Equal(t, 422, rec.Code, q)
		assert.Contains(t, rec.Body.String(), "form_param_value_invalid", q)
	}
	assert.Equal(t, int64(7), s.Stats().TemplateLists)

	s.DeleteTemplate("alpha")
	s.DeleteTemplate("hasura")
	rec = serve(s, "GET", "/v1/jwt_templates?paginated=true", "-")
	assert.JSONEq(t, `{"data":[],"total_count":0}`, rec.Body.String())
}
