package clerkhasuratest_test

import (
	"context"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwttemplate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestClerkTemplateRendering(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	claims := map[string]any{
		"plain":       "{{user.id}}",
		"spaced":      "{{ user.id }}",
		"mixed":       "user={{user.id}} session={{session.id}}",
		"{{user.id}}": "keys are not rendered",
		"nested": map[string]any{
			"deeper": map[string]any{"list": []any{"a", "{{user.id}}", 42, true, nil, []string{"{{session.id}}"}}},
		},
		"number": 42,
		"float":  1.5,
		"html":   "<b>&</b>",
	}
	fc.SetTemplate("custom", clerkhasuratest.Template{Claims: claims})
	claims["plain"] = "changed after SetTemplate"

	sid := fc.CreateSession(`user_"quoted"`)
	_, raw := rawClaims(t, mint(t, fc, sid, "custom"))
	assert.Equal(t, `user_"quoted"`, raw["plain"])
	assert.Equal(t, `user_"quoted"`, raw["spaced"])
	assert.Equal(t, `user=user_"quoted" session=`+sid, raw["mixed"])
	assert.Equal(t, "keys are not rendered", raw["{{user.id}}"])
	assert.Equal(t, map[string]any{
		"deeper": map[string]any{"list": []any{"a", `user_"quoted"`, float64(42), true, nil, []any{sid}}},
	}, raw["nested"])
	assert.Equal(t, float64(42), raw["number"])
	assert.Equal(t, 1.5, raw["float"])
	assert.Equal(t, "<b>&</b>", raw["html"])
	assert.Equal(t, `user_"quoted"`, raw["sub"])
	assert.NotContains(t, raw, "sid")
}

func TestClerkTemplateTiming(t *testing.T) {
	now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{
		Clock: clerkhasuratest.NewClock(now),
		Templates: map[string]clerkhasuratest.Template{
			"default":  {},
			"short":    {Lifetime: 2 * time.Second, AllowedClockSkew: 30 * time.Second},
			"fraction": {Lifetime: 2500 * time.Millisecond, AllowedClockSkew: 1500 * time.Millisecond},
			"no skew":  {AllowedClockSkew: -1},
		},
	})
	sid := fc.CreateSession("user_1")
	for _, tc := range []struct {
		template       string
		lifetime, skew int64
	}{
		{"default", 60, 5},
		{"short", 2, 30},
		{"fraction", 2, 1},
		{"no skew", 60, 0},
	} {
		t.Run(tc.template, func(t *testing.T) {
			_, raw := rawClaims(t, mint(t, fc, sid, tc.template))
			assert.Equal(t, float64(now.Unix()), raw["iat"])
			assert.Equal(t, float64(now.Unix()+tc.lifetime), raw["exp"])
			assert.Equal(t, float64(now.Unix()-tc.skew), raw["nbf"])
		})
	}
	_, err := verify(t, fc, mint(t, fc, sid, "short"))
	require.NoError(t, err)
}

func TestClerkNoTemplates(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Templates: map[string]clerkhasuratest.Template{}})
	sid := fc.CreateSession("user_1")
	rec := &fatalRecorder{TB: t}
	msg := fatalOf(rec, func() {
		c := clerkhasuratest.NewClerk(rec, &clerkhasuratest.ClerkOptions{Templates: map[string]clerkhasuratest.Template{}})
		c.TemplateToken(c.CreateSession("user_1"), clerkhasuratest.DefaultTemplateName)
	})
	assert.Contains(t, msg, "unknown template")
	assert.NotEmpty(t, mint(t, fc, sid, ""), "session tokens need no template")
}

func TestClerkInvalidTemplates(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string
		tpl      clerkhasuratest.Template
		want     string
	}{
		{"reserved sub", "t", clerkhasuratest.Template{Claims: map[string]any{"sub": "x"}}, `claim "sub" is reserved`},
		{"reserved exp", "t", clerkhasuratest.Template{Claims: map[string]any{"exp": 1}}, `claim "exp" is reserved`},
		{"unknown shortcode", "t", clerkhasuratest.Template{Claims: map[string]any{"e": "{{user.primary_email_address}}"}}, "unsupported shortcode"},
		{"not JSON", "t", clerkhasuratest.Template{Claims: map[string]any{"f": func() {}}}, "not JSON"},
		{"lifetime below 1s", "t", clerkhasuratest.Template{Lifetime: 500 * time.Millisecond}, "below 1s"},
		{"empty name", "", clerkhasuratest.HasuraTemplate(), "empty name"},
		{"slash in name", "a/b", clerkhasuratest.HasuraTemplate(), "name contains"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("SetTemplate", func(t *testing.T) {
				rec := &fatalRecorder{TB: t}
				msg := fatalOf(rec, func() { clerkhasuratest.NewClerk(rec, nil).SetTemplate(tc.template, tc.tpl) })
				assert.Contains(t, msg, tc.want)
				assert.Contains(t, msg, "clerkhasuratest: SetTemplate:")
			})
			t.Run("NewClerk", func(t *testing.T) {
				rec := &fatalRecorder{TB: t}
				msg := fatalOf(rec, func() {
					clerkhasuratest.NewClerk(rec, &clerkhasuratest.ClerkOptions{
						Templates: map[string]clerkhasuratest.Template{tc.template: tc.tpl},
					})
				})
				assert.Contains(t, msg, tc.want)
			})
		})
	}
}

func TestHasuraTemplate(t *testing.T) {
	tpl := clerkhasuratest.HasuraTemplate()
	assert.Equal(t, 60*time.Second, tpl.Lifetime)
	assert.Equal(t, 5*time.Second, tpl.AllowedClockSkew)
	assert.Equal(t, map[string]any{
		"https://hasura.io/jwt/claims": map[string]any{
			"x-hasura-user-id":       "{{user.id}}",
			"x-hasura-default-role":  "user",
			"x-hasura-allowed-roles": []any{"user"},
		},
	}, tpl.Claims)
	tpl.Claims["changed"] = true
	assert.NotContains(t, clerkhasuratest.HasuraTemplate().Claims, "changed", "each call returns a fresh map")
}

// TestClerkTemplateListReadByClerkSDK: clerk-sdk-go's jwttemplate.List
// reads the fake's templates route.
func TestClerkTemplateListReadByClerkSDK(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	fc.SetTemplate("supabase", clerkhasuratest.Template{Lifetime: 2 * time.Minute})
	client := jwttemplate.NewClient(&clerk.ClientConfig{BackendConfig: fc.BackendConfig()})
	list, err := client.List(context.Background(), &jwttemplate.ListParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(2), list.TotalCount)
	require.Len(t, list.JWTTemplates, 2)
	hasura, supabase := list.JWTTemplates[0], list.JWTTemplates[1]
	assert.Equal(t, clerkhasuratest.DefaultTemplateName, hasura.Name)
	assert.Equal(t, "jwt_template", hasura.Object)
	assert.Equal(t, int64(60), hasura.Lifetime)
	assert.Equal(t, int64(5), hasura.AllowedClockSkew)
	assert.JSONEq(t, `{"https://hasura.io/jwt/claims":{"x-hasura-user-id":"{{user.id}}","x-hasura-default-role":"user","x-hasura-allowed-roles":["user"]}}`,
		string(hasura.Claims))
	assert.Equal(t, "supabase", supabase.Name)
	assert.Equal(t, int64(120), supabase.Lifetime)
	assert.NotEqual(t, hasura.ID, supabase.ID)
	assert.Equal(t, int64(1), fc.Stats().TemplateLists)

	none := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Templates: map[string]clerkhasuratest.Template{}})
	client = jwttemplate.NewClient(&clerk.ClientConfig{BackendConfig: none.BackendConfig()})
	list, err = client.List(context.Background(), &jwttemplate.ListParams{})
	require.NoError(t, err)
	assert.Zero(t, list.TotalCount)
	assert.Empty(t, list.JWTTemplates)
}
