package fakeclerk

import (
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
