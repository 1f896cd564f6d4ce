package clerkhasuratest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// webhookTimeout bounds one delivery of [Clerk.SetWebhookURL].
const webhookTimeout = 10 * time.Second

// webhooks is the fake's webhook endpoint: its signing secret, and where
// ended sessions are reported.
type webhooks struct {
	secret    string
	signer    *standardwebhooks.Webhook
	url       atomic.Pointer[string]
	client    *http.Client
	delivered atomic.Int64
	failed    atomic.Int64
}

func newWebhooks() *webhooks {
	key := make([]byte, 24)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+).
	signer, _ := standardwebhooks.NewWebhookRaw(key)
	return &webhooks{
		secret: "whsec_" + base64.StdEncoding.EncodeToString(key),
		signer: signer,
		// Deliveries leave no idle connection behind, so that tests
		// checking for leaked goroutines need not close anything.
		client: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: webhookTimeout},
	}
}

// WebhookSecret is the signing secret ("whsec_…", random for each fake)
// of the fake's webhook endpoint, for the handler that verifies deliveries.
func (c *Clerk) WebhookSecret() string { return c.hooks.secret }

// WebhookRequest returns a POST to url of the Clerk webhook event
// eventType (session.created, .ended, .removed or .revoked) about the
// session, signed with [Clerk.WebhookSecret] as Svix signs it; the session
// does not change. It calls t.Fatalf for another event type, an unknown
// session, or a url http.NewRequest refuses.
func (c *Clerk) WebhookRequest(url, eventType, sessionID string) *http.Request {
	c.t.Helper()
	req, err := c.webhookRequest(url, eventType, sessionID)
	if err != nil {
		fatal(c.t, "WebhookRequest", err)
		return nil
	}
	return req
}

func (c *Clerk) webhookRequest(url, eventType, sessionID string) (*http.Request, error) {
	body, err := c.engine.SessionEvent(eventType, sessionID)
	if err != nil {
		return nil, err
	}
	id := "msg_" + base64.RawURLEncoding.EncodeToString(randomBytes(18))
	sent := c.engine.Now()
	sig, err := c.hooks.signer.Sign(id, sent, body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("svix-id", id)
	req.Header.Set("svix-timestamp", strconv.FormatInt(sent.Unix(), 10))
	req.Header.Set("svix-signature", sig)
	return req, nil
}

// SetWebhookURL makes the fake deliver a session.revoked event to url
// whenever a session is revoked, before the revocation returns. A delivery
// that fails is logged with t.Logf and counted, not retried. An empty url
// stops deliveries.
func (c *Clerk) SetWebhookURL(url string) {
	if url == "" {
		c.hooks.url.Store(nil)
		return
	}
	c.hooks.url.Store(&url)
	c.engine.SetSessionListener(c.deliver)
}

// deliver sends the event to the registered URL, if any. It runs on the
// goroutine that revoked the session, which may be a request's.
func (c *Clerk) deliver(eventType, sessionID string) {
	url := c.hooks.url.Load()
	if url == nil {
		return
	}
	req, err := c.webhookRequest(*url, eventType, sessionID)
	if err == nil {
		var resp *http.Response
		if resp, err = c.hooks.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				err = &statusError{resp.StatusCode}
			}
		}
	}
	if err != nil {
		c.hooks.failed.Add(1)
		c.t.Logf("clerkhasuratest: webhook %s for %s: %v", eventType, sessionID, err)
		return
	}
	c.hooks.delivered.Add(1)
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "answered " + strconv.Itoa(e.status) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
