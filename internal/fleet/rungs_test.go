package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// TestReplicasRefuseTheOtherToken checks that each rung's replica verifies
// what the browser sends, for the reason the middleware gives: the
// session-token rungs refuse a template token, rung 2 refuses a session
// token, and all refuse an expired token, even one they verified before.
func TestReplicasRefuseTheOtherToken(t *testing.T) {
	clock := clerkhasuratest.NewClock(epoch)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	key, err := localjwt.GenerateKey()
	require.NoError(t, err)
	e := &env{clock: clock, key: key, start: epoch, verified: 4}
	sid := fc.CreateSession("user_a")
	sessionToken, templateToken := fc.SessionToken(sid), fc.TemplateToken(sid, clerkhasuratest.DefaultTemplateName)

	for _, tc := range []struct {
		rung      Rung
		good, bad string
		refusal   string
	}{
		{Mint, sessionToken, templateToken, "refused: template tokens are not accepted here"},
		{Forward, templateToken, sessionToken, "refused: session tokens are not accepted here"},
		{Local, sessionToken, templateToken, "refused: template tokens are not accepted here"},
	} {
		t.Run(tc.rung.String(), func(t *testing.T) {
			rep, err := newReplica[tc.rung](e, fc.BackendConfig())
			require.NoError(t, err)
			defer rep.close()
			w := newWorker(1)
			tl := &w.tallies[0]
			w.serve(rep.handler, bearer(tc.good), tl)
			assert.Zero(t, tl.failed, "the right token: %v", tl.failures)
			w.serve(rep.handler, bearer(tc.bad), tl)
			assert.EqualValues(t, 1, tl.failed, "the other token")
			assert.EqualValues(t, 1, tl.failures[tc.refusal], "%v", tl.failures)
			clock.Advance(2 * time.Minute)
			defer clock.Set(epoch)
			w.serve(rep.handler, bearer(tc.good), tl)
			assert.EqualValues(t, 2, tl.failed, "an expired token")
			assert.EqualValues(t, 1, tl.failures["refused: session token expired"], "%v", tl.failures)
			assert.EqualValues(t, 3, tl.requests)
		})
	}
}
