package forward_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestNewSourceExpiry checks the Expiry of forwarded tokens against the
// clock: exp, or earlier when the token shows the clock behind Clerk's.
func TestNewSourceExpiry(t *testing.T) {
	clock := testkit.NewClock()
	now := time.Unix(1_800_000_000, 0)
	clock.Set(now)
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	for _, tt := range []struct {
		name   string
		claims map[string]any
		want   time.Time
	}{
		{"fresh, clocks agree", map[string]any{"iat": at(0), "exp": at(time.Minute)}, now.Add(59 * time.Second)},
		{"minted 40 s ago", map[string]any{"iat": at(-40 * time.Second), "exp": at(20 * time.Second)}, now.Add(20 * time.Second)},
		{"clock 30 s behind Clerk's", map[string]any{"iat": at(30 * time.Second), "exp": at(90 * time.Second)}, now.Add(59 * time.Second)},
		{"no iat", map[string]any{"exp": at(45 * time.Second)}, now.Add(45 * time.Second)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, err := forward.NewSource(testkit.UnsignedJWT(t, tt.claims), clock)
			require.NoError(t, err)
			tok, err := src.Token(context.Background())
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(tok.Expiry), "Expiry %v, want %v", tok.Expiry, tt.want)
			again, err := src.Token(context.Background())
			require.NoError(t, err)
			assert.Same(t, tok, again, "one token, never refreshed")
		})
	}
}

// TestSourceExpires checks that the token is served up to its Expiry and
// refused from then on with ErrExpired, which says it is permanent.
func TestSourceExpires(t *testing.T) {
	clock := testkit.NewClock()
	now := time.Unix(1_800_000_000, 0)
	clock.Set(now)
	token := testkit.UnsignedJWT(t, map[string]any{"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()})
	src, err := forward.NewSource(token, clock)
	require.NoError(t, err)

	clock.Advance(58 * time.Second)
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, token, tok.Value)

	clock.Advance(time.Second)
	_, err = src.Token(context.Background())
	require.ErrorIs(t, err, forward.ErrExpired)
	temp, ok := err.(interface{ Temporary() bool })
	require.True(t, ok)
	assert.False(t, temp.Temporary())
	assert.NotContains(t, err.Error(), token)

	_, isInvalidator := any(src).(clerkhasura.Invalidator)
	assert.False(t, isInvalidator, "a refused forwarded token cannot be replaced")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = src.Token(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestNewSourceRefuses checks the tokens NewSource refuses, and that its
// errors never quote them.
func TestNewSourceRefuses(t *testing.T) {
	clock := testkit.NewClock()
	now := time.Unix(1_800_000_000, 0)
	clock.Set(now)
	for _, tt := range []struct {
		name  string
		token string
		want  error
	}{
		{"not a JWT", "not.a.jwt-at-all", clerkhasura.ErrInvalidInput},
		{"no exp", testkit.UnsignedJWT(t, map[string]any{"iat": now.Unix(), "sub": "user_alice"}), clerkhasura.ErrInvalidInput},
		{"expired", testkit.UnsignedJWT(t, map[string]any{"iat": now.Add(-time.Minute).Unix(), "exp": now.Unix()}), forward.ErrExpired},
		{"exp within iat's rounding", testkit.UnsignedJWT(t, map[string]any{"iat": now.Unix(), "exp": now.Add(time.Second).Unix()}), forward.ErrExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, err := forward.NewSource(tt.token, clock)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, src)
			assert.NotContains(t, err.Error(), tt.token)
			if errors.Is(tt.want, clerkhasura.ErrInvalidInput) {
				var ie *clerkhasura.InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, "forwarded token", ie.Field)
			}
		})
	}
}
