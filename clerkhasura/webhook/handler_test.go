package webhook_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// endedSessions records the sessions a webhook handler ended.
type endedSessions struct {
	mu  sync.Mutex
	ids []string
}

func (v *endedSessions) EndSession(sessionID string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ids = append(v.ids, sessionID)
}

func (v *endedSessions) got() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.ids...)
}

// whFixture is a fake Clerk, a webhook handler trusting its secret on the
// clock the fake signs with, and what the handler ended and refused.
type whFixture struct {
	clerk   *clerkhasuratest.Clerk
	clock   *testkit.Clock
	targets [2]*endedSessions
	handler *webhook.Handler
	refused []*webhook.Error
}

func newWHFixture(t *testing.T) *whFixture {
	t.Helper()
	f := &whFixture{clock: testkit.NewClock(), targets: [2]*endedSessions{{}, {}}}
	f.clock.Set(time.Unix(1_800_000_000, 0))
	f.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: f.clock})
	h, err := webhook.NewHandler(f.clerk.WebhookSecret(), &webhook.Options{
		Clock: f.clock,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *webhook.Error) {
			f.refused = append(f.refused, err)
			err.ServeHTTP(w, r)
		},
	}, f.targets[0], f.targets[1])
	require.NoError(t, err)
	f.handler = h
	return f
}

func (f *whFixture) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

// signed builds a delivery of body signed with the fake's secret at sent.
func (f *whFixture) signed(t *testing.T, body string, sent time.Time) *http.Request {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(f.clerk.WebhookSecret())
	require.NoError(t, err)
	sig, err := wh.Sign("msg_test", sent, []byte(body))
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/clerk", strings.NewReader(body))
	req.Header.Set("svix-id", "msg_test")
	req.Header.Set("svix-timestamp", strconv.FormatInt(sent.Unix(), 10))
	req.Header.Set("svix-signature", sig)
	return req
}

func TestWebhookHandlerInvalidatesEndedSessions(t *testing.T) {
	for _, event := range []string{"session.ended", "session.revoked", "session.removed"} {
		t.Run(event, func(t *testing.T) {
			f := newWHFixture(t)
			sid := f.clerk.CreateSession("user_alice")
			rec := f.serve(f.clerk.WebhookRequest("http://svc.example/webhooks/clerk", event, sid))
			assert.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
			assert.Equal(t, []string{sid}, f.targets[0].got())
			assert.Equal(t, []string{sid}, f.targets[1].got())
			assert.Equal(t, webhook.Stats{Ended: 1}, f.handler.Stats())
		})
	}
}

func TestWebhookHandlerAcknowledgesOtherEvents(t *testing.T) {
	f := newWHFixture(t)
	sid := f.clerk.CreateSession("user_alice")
	rec := f.serve(f.clerk.WebhookRequest("http://svc.example/", "session.created", sid))
	assert.Equal(t, http.StatusNoContent, rec.Code)
	rec = f.serve(f.signed(t, `{"type":"user.updated","object":"event","data":{"id":"user_alice"}}`, f.clock.Now()))
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Empty(t, f.targets[0].got())
	assert.Equal(t, webhook.Stats{Ignored: 2}, f.handler.Stats())
}

// The Standard Webhooks headers, which Svix signs the same way, are read
// when the svix-* ones are absent.
func TestWebhookHandlerAcceptsStandardWebhooksHeaders(t *testing.T) {
	f := newWHFixture(t)
	sid := f.clerk.CreateSession("user_alice")
	req := f.clerk.WebhookRequest("http://svc.example/", "session.ended", sid)
	for _, name := range []string{"id", "timestamp", "signature"} {
		req.Header.Set("webhook-"+name, req.Header.Get("svix-"+name))
		req.Header.Del("svix-" + name)
	}
	assert.Equal(t, http.StatusNoContent, f.serve(req).Code)
	assert.Equal(t, []string{sid}, f.targets[0].got())
}

// A delivery replayed within the tolerance invalidates the ended session
// again, which is harmless; later, it is refused.
func TestWebhookHandlerReplays(t *testing.T) {
	f := newWHFixture(t)
	sid := f.clerk.CreateSession("user_alice")
	req := f.clerk.WebhookRequest("http://svc.example/", "session.ended", sid)
	body, header := requestBody(t, req), req.Header.Clone()
	replay := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header = header.Clone()
		return r
	}
	assert.Equal(t, http.StatusNoContent, f.serve(replay()).Code)
	f.clock.Advance(webhook.Tolerance)
	assert.Equal(t, http.StatusNoContent, f.serve(replay()).Code)
	assert.Equal(t, []string{sid, sid}, f.targets[0].got())

	f.clock.Advance(time.Second)
	rec := f.serve(replay())
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.JSONEq(t, `{"error":"webhook timestamp outside the tolerance"}`, rec.Body.String())
	require.Len(t, f.refused, 1)
	assert.ErrorIs(t, f.refused[0], standardwebhooks.ErrMessageTooOld)
	assert.Len(t, f.targets[0].got(), 2)
}

func requestBody(t *testing.T, r *http.Request) string {
	t.Helper()
	raw, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(raw)
}

func TestWebhookHandlerRefuses(t *testing.T) {
	sessionEvent := func(f *whFixture, t *testing.T) string {
		return requestBody(t, f.clerk.WebhookRequest("http://svc.example/", "session.ended", f.clerk.CreateSession("user_alice")))
	}
	cases := []struct {
		name    string
		request func(t *testing.T, f *whFixture) *http.Request
		status  int
		reason  string
		cause   error // nil: not checked
	}{
		{"GET", func(t *testing.T, f *whFixture) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/", nil)
		}, http.StatusMethodNotAllowed, "webhook delivery must be a POST", nil},
		{"unsigned", func(t *testing.T, f *whFixture) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(sessionEvent(f, t)))
		}, http.StatusBadRequest, "missing or malformed webhook signature headers", standardwebhooks.ErrRequiredHeaders},
		{"timestamp not a number", func(t *testing.T, f *whFixture) *http.Request {
			r := f.signed(t, sessionEvent(f, t), f.clock.Now())
			r.Header.Set("svix-timestamp", "yesterday")
			return r
		}, http.StatusBadRequest, "missing or malformed webhook signature headers", standardwebhooks.ErrInvalidHeaders},
		{"body changed", func(t *testing.T, f *whFixture) *http.Request {
			r := f.signed(t, sessionEvent(f, t), f.clock.Now())
			other := f.signed(t, `{"type":"session.ended","data":{"id":"sess_victim"}}`, f.clock.Now())
			r.Body = other.Body
			return r
		}, http.StatusUnauthorized, "invalid webhook signature", standardwebhooks.ErrNoMatchingSignature},
		{"signed with another secret", func(t *testing.T, f *whFixture) *http.Request {
			other := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: f.clock})
			return other.WebhookRequest("http://svc.example/", "session.ended", other.CreateSession("user_alice"))
		}, http.StatusUnauthorized, "invalid webhook signature", standardwebhooks.ErrNoMatchingSignature},
		{"signature of another version", func(t *testing.T, f *whFixture) *http.Request {
			r := f.signed(t, sessionEvent(f, t), f.clock.Now())
			r.Header.Set("svix-signature", strings.Replace(r.Header.Get("svix-signature"), "v1,", "v2,", 1))
			return r
		}, http.StatusUnauthorized, "invalid webhook signature", nil},
		{"too old", func(t *testing.T, f *whFixture) *http.Request {
			return f.signed(t, sessionEvent(f, t), f.clock.Now().Add(-webhook.Tolerance-time.Second))
		}, http.StatusUnauthorized, "webhook timestamp outside the tolerance", standardwebhooks.ErrMessageTooOld},
		{"too new", func(t *testing.T, f *whFixture) *http.Request {
			return f.signed(t, sessionEvent(f, t), f.clock.Now().Add(webhook.Tolerance+time.Second))
		}, http.StatusUnauthorized, "webhook timestamp outside the tolerance", standardwebhooks.ErrMessageTooNew},
		{"too large", func(t *testing.T, f *whFixture) *http.Request {
			body := `{"type":"session.ended","data":{"id":"sess_x"},"pad":"` + strings.Repeat("x", webhook.MaxBodyBytes) + `"}`
			return f.signed(t, body, f.clock.Now())
		}, http.StatusRequestEntityTooLarge, "webhook body too large", nil},
		{"signed, not JSON", func(t *testing.T, f *whFixture) *http.Request {
			return f.signed(t, "session.ended sess_x", f.clock.Now())
		}, http.StatusBadRequest, "webhook body is not a JSON event", nil},
		{"signed session event without an ID", func(t *testing.T, f *whFixture) *http.Request {
			return f.signed(t, `{"type":"session.revoked","data":{}}`, f.clock.Now())
		}, http.StatusBadRequest, "session event names no session", nil},
		{"signed session event with a strange ID", func(t *testing.T, f *whFixture) *http.Request {
			return f.signed(t, `{"type":"session.revoked","data":{"id":"sess_1\n<script>"}}`, f.clock.Now())
		}, http.StatusBadRequest, "session event names no session", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newWHFixture(t)
			rec := f.serve(tc.request(t, f))
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, map[string]string{"error": tc.reason}, body)
			require.Len(t, f.refused, 1)
			err := f.refused[0]
			assert.ErrorIs(t, err, webhook.ErrRefused)
			assert.Equal(t, "clerkhasura: "+tc.reason, err.Error())
			assert.Equal(t, tc.status, err.Status)
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			assert.Empty(t, f.targets[0].got(), "a refused delivery ended a session")
			assert.Equal(t, webhook.Stats{Refused: 1}, f.handler.Stats())
		})
	}
}

func TestNewHandlerRefuses(t *testing.T) {
	valid := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123"))
	target := &endedSessions{}
	cases := []struct {
		name    string
		secret  string
		targets []webhook.SessionEnder
		want    string
	}{
		{"empty secret", "", []webhook.SessionEnder{target}, "invalid webhook secret: is empty"},
		{"not base64", "whsec_not*base64!", []webhook.SessionEnder{target}, "invalid webhook secret: is not a signing secret"},
		{"no targets", valid, nil, "invalid webhook targets: are empty"},
		{"a nil target", valid, []webhook.SessionEnder{target, nil}, "invalid webhook targets: hold a nil"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := webhook.NewHandler(tc.secret, nil, tc.targets...)
			assert.Nil(t, h)
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			assert.Contains(t, err.Error(), "clerkhasura: "+tc.want)
			if tc.secret != "" {
				assert.NotContains(t, err.Error(), tc.secret)
			}
		})
	}
}
