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
// what the browser sends: the session-token rungs refuse a template token,
// rung 2 refuses a session token, and all refuse an expired token.
func TestReplicasRefuseTheOtherToken(t *testing.T) {
	clock := clerkhasuratest.NewClock(epoch)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	key, err := localjwt.GenerateKey()
	require.NoError(t, err)
	e := &env{clock: clock, key: key, start: epoch}
	sid := fc.CreateSession("user_a")
	sessionToken, templateToken := fc.SessionToken(sid), fc.TemplateToken(sid, clerkhasuratest.DefaultTemplateName)

	for _, tc := range []struct {
		rung      Rung
		good, bad string
	}{
		{Mint, sessionToken, templateToken},
		{Forward, templateToken, sessionToken},
		{Local, sessionToken, templateToken},
	} {
		t.Run(tc.rung.String(), func(t *testing.T) {
			rep, err := newReplica[tc.rung](e, fc.BackendConfig())
			require.NoError(t, err)
			defer rep.close()
			var tl tally
			tl.failures = map[string]int64{}
			serve(rep.handler, tc.good, &tl)
			assert.Zero(t, tl.failed, "the right token: %v", tl.failures)
			serve(rep.handler, tc.bad, &tl)
			assert.EqualValues(t, 1, tl.failed, "the other token")
			for reason := range tl.failures {
				assert.Contains(t, reason, "refused: ")
			}
			clock.Advance(2 * time.Minute)
			defer clock.Set(epoch)
			serve(rep.handler, tc.good, &tl)
			assert.EqualValues(t, 2, tl.failed, "an expired token")
			assert.EqualValues(t, 3, tl.requests)
		})
	}
}
