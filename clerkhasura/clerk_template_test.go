package clerkhasura_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestSessionTokensTemplateNotFound: a template name the instance does not
// have makes every mint answer 404, as an ended session does. It is
// reported as ErrTemplateNotFound, a misconfiguration, never as a
// signed-out user, at the cost of one listing of the templates per cache.
func TestSessionTokensTemplateNotFound(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	clock := testkit.NewClock()
	st := sources.SessionTokens(t, fc.SessionClient(), "hasrua", &clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: clock}})
	defer st.Close()
	ctx := context.Background()

	for range 5 {
		sid := fc.CreateSession("user_1")
		_, err := st.Source(sid).Token(ctx)
		require.ErrorIs(t, err, clerkhasura.ErrTemplateNotFound)
		assert.NotErrorIs(t, err, clerkhasura.ErrSessionGone, "not a signed-out user")
		var ce *clerkhasura.ClerkError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, 404, ce.StatusCode)
		assert.Equal(t, "hasrua", ce.Template)
		assert.Equal(t, sid, ce.SessionID)
		assert.False(t, ce.Temporary())
		assert.Equal(t, `clerkhasura: Clerk JWT template not found (session `+sid+`, template "hasrua", HTTP 404, code resource_not_found, trace `+ce.TraceID+`): not found`, err.Error())
	}
	assert.Equal(t, int64(1), fc.Stats().TemplateLists, "one listing per cache, not per session")

	// The template is created: the next mint finds it, and a 404 means
	// an ended session again, without another listing.
	fc.SetTemplate("hasrua", clerkhasuratest.HasuraTemplate())
	_, err := st.Source(fc.CreateSession("user_2")).Token(ctx)
	require.NoError(t, err)
	gone := fc.CreateSession("user_3")
	fc.RevokeSession(gone)
	_, err = st.Source(gone).Token(ctx)
	require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	assert.Equal(t, int64(1), fc.Stats().TemplateLists)
}

// TestSessionTokenSourceTemplateCheckFallsBack: when the templates cannot
// be listed, a 404 stays ErrSessionGone, as it was; a listing that failed
// for a while is tried again on the next 404, one that cannot succeed is
// not.
func TestSessionTokenSourceTemplateCheckFallsBack(t *testing.T) {
	ctx := context.Background()
	t.Run("listing forbidden", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		fc.FailNext(1, clerkhasuratest.Fault{Status: 403, Path: "/jwt_templates"})
		src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasrua", nil)
		for range 3 {
			_, err := src.Token(ctx)
			require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
		}
		assert.Equal(t, int64(1), fc.Stats().Faults, "listed once")
		assert.Zero(t, fc.Stats().TemplateLists)
	})
	t.Run("Clerk failing for a while", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		fc.FailNext(1, clerkhasuratest.Fault{Status: 503, Path: "/jwt_templates"})
		src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasrua", nil)
		_, err := src.Token(ctx)
		require.ErrorIs(t, err, clerkhasura.ErrSessionGone, "as before, while the templates cannot be listed")
		_, err = src.Token(ctx)
		require.ErrorIs(t, err, clerkhasura.ErrTemplateNotFound, "listed again")
		assert.Equal(t, int64(1), fc.Stats().TemplateLists)
	})
	t.Run("more than one page", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		for i := range 10 {
			fc.SetTemplate(fmt.Sprint("t", i), clerkhasuratest.Template{})
		}
		src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasrua", nil)
		for range 3 {
			_, err := src.Token(ctx)
			require.ErrorIs(t, err, clerkhasura.ErrSessionGone, "it may be on a later page")
		}
		assert.Equal(t, int64(1), fc.Stats().TemplateLists)
	})
	t.Run("session token", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		sid := fc.CreateSession("user_1")
		fc.RevokeSession(sid)
		_, err := sources.Session(t, fc.SessionClient(), sid, "", nil).Token(ctx)
		require.ErrorIs(t, err, clerkhasura.ErrSessionGone, "no template to look for")
		assert.Zero(t, fc.Stats().TemplateLists)
	})
}

// TestCachedTemplateNotFoundIsNotRetried: a cache backs off for
// MaxBackoff after ErrTemplateNotFound, as after any permanent error.
func TestCachedTemplateNotFoundIsNotRetried(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	clock := testkit.NewClock()
	src := sources.Session(t, fc.SessionClient(), fc.CreateSession("user_1"), "hasrua", nil)
	c := sources.Cached(t, src, &clerkhasura.CacheOptions{Clock: clock})
	defer c.Close()
	for range 30 {
		_, err := c.Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrTemplateNotFound)
		clock.Advance(time.Second)
	}
	assert.Equal(t, int64(2), fc.Stats().Requests, "one mint and one listing")
}
