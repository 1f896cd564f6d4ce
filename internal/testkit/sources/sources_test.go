package sources

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

func TestCountingMintsLikeACache(t *testing.T) {
	var s Counting
	ctx := context.Background()
	first, err := s.Token(ctx)
	require.NoError(t, err)
	again, err := s.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, first, again, "the current token until it is invalidated")

	s.Invalidate(&clerkhasura.Token{Value: "tok-1"})
	again, _ = s.Token(ctx)
	assert.Same(t, first, again, "only the current token itself is dropped")
	s.Invalidate(first)
	next, _ := s.Token(ctx)
	assert.Equal(t, "tok-2", next.Value)

	s.KeepRejected = true
	s.Invalidate(next)
	kept, _ := s.Token(ctx)
	assert.Same(t, next, kept)

	assert.Equal(t, 5, s.Calls())
	assert.Equal(t, 2, s.Minted())
	assert.Equal(t, []string{"tok-1", "tok-1", "tok-1", "tok-2", "tok-2"}, s.HandedOut())
	assert.Equal(t, []string{"tok-1", "tok-1", "tok-2"}, s.Invalidated())
}

func TestCountingFailsAndForges(t *testing.T) {
	boom := errors.New("boom")
	s := Counting{Err: boom, ErrAfter: 1}
	ctx := context.Background()
	_, err := s.Token(ctx)
	require.NoError(t, err)
	_, err = s.Token(ctx)
	require.ErrorIs(t, err, boom)

	s = Counting{}
	s.ForgeNext(1)
	tok, _ := s.Token(ctx)
	assert.Equal(t, Forged, tok.Value)
	tok, _ = s.Token(ctx)
	assert.Equal(t, "tok-1", tok.Value)
}

func TestCountingWrapsItsSource(t *testing.T) {
	inner := &Counting{}
	s := Counting{Src: inner}
	ctx := context.Background()
	tok, err := s.Token(ctx)
	require.NoError(t, err)
	s.Invalidate(tok)
	_, _ = s.Token(ctx)
	assert.Equal(t, 2, s.Calls())
	assert.Zero(t, s.Minted(), "the tokens are Src's")
	assert.Equal(t, []string{"tok-1"}, inner.Invalidated(), "Invalidate is passed on")
	assert.Equal(t, []string{"tok-1", "tok-2"}, s.HandedOut())
}
