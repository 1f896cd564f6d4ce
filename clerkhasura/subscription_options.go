package clerkhasura

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// Defaults of [SubscriptionOptions].
const (
	// DefaultSwitchTimeout bounds a switch-over: how long the old
	// connection keeps serving while the new one catches up.
	DefaultSwitchTimeout = 3 * time.Second
	// DefaultReconnectMinBackoff is the first wait between reconnect attempts.
	DefaultReconnectMinBackoff = 250 * time.Millisecond
	// DefaultReconnectMaxBackoff caps the wait between reconnect attempts.
	DefaultReconnectMaxBackoff = 30 * time.Second
	// DefaultReconnectJitter bounds the random wait before the first
	// reconnect after a lost connection.
	DefaultReconnectJitter = time.Second
	// DefaultSubscriptionInitTimeout bounds a websocket handshake:
	// dialling, connection_init and Hasura's connection_ack.
	DefaultSubscriptionInitTimeout = 10 * time.Second
	// DefaultSubscriptionKeepAliveTimeout is how long a websocket
	// connection may stay silent before it is presumed dead. Hasura sends
	// a keepalive every 5 s.
	DefaultSubscriptionKeepAliveTimeout = 30 * time.Second
	// DefaultSubscriptionReadLimit bounds one websocket message from
	// Hasura, in bytes.
	DefaultSubscriptionReadLimit = 16 << 20
)

// SubscriptionOptions configures [NewSubscriptionClient]. A nil
// *SubscriptionOptions, and every zero field, means the default.
type SubscriptionOptions struct {
	// Role is sent as x-hasura-role in connection_init, to run the
	// subscriptions as a role other than the token's default role.
	// Optional.
	Role string

	// HTTPClient makes the websocket handshake; its Transport must give
	// writable response bodies, as http.Transport does. Optional:
	// http.DefaultClient. The handshake follows no redirect, whatever its
	// CheckRedirect says: a redirect fails with [ErrWebsocketRedirect].
	HTTPClient *http.Client

	// Subprotocol forces one subprotocol, "graphql-transport-ws" or
	// "graphql-ws" (Apollo); any other value means the default.
	// Optional. By default the client offers graphql-transport-ws alone,
	// as Hasura runs it only when it is the only subprotocol offered
	// (offered both, Hasura picks Apollo's); a server that refuses it, or
	// answers with another subprotocol or none, is asked again for
	// graphql-ws, which the client then keeps to.
	Subprotocol string

	// ReconnectLead is how long before its token expires a connection is
	// replaced. Optional: a sixth of the token's remaining lifetime when
	// it was fetched, at least 2 s, at most 30 s and never more than half
	// the lifetime (10 s for Clerk's 60 s tokens, 1.5 s for 3 s ones),
	// shortened by up to a tenth at random.
	ReconnectLead time.Duration

	// SwitchTimeout bounds a switch-over: once the new connection is up,
	// each subscription moves to it when it delivers a result equal to
	// the last one delivered, and every subscription moves when this
	// timeout passes, or half the reconnect lead if that is sooner.
	// Optional. Default [DefaultSwitchTimeout].
	SwitchTimeout time.Duration

	// MinBackoff and MaxBackoff bound the jittered exponential wait
	// between failed connection attempts; after a redirect, which no
	// quick retry mends, the wait is about MaxBackoff. Optional. Defaults
	// [DefaultReconnectMinBackoff] and [DefaultReconnectMaxBackoff].
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// ReconnectJitter bounds the random wait before the first attempt to
	// replace a lost connection, so that the clients of a restarted
	// Hasura do not all come back in the same instant. Optional. Default
	// [DefaultReconnectJitter]; negative means no wait.
	ReconnectJitter time.Duration

	// InitTimeout bounds dialling and the connection_init handshake.
	// Optional. Default [DefaultSubscriptionInitTimeout].
	InitTimeout time.Duration

	// KeepAliveTimeout is how long a connection may receive nothing, not
	// even a keepalive, before it is presumed dead and replaced.
	// Optional. Default [DefaultSubscriptionKeepAliveTimeout]; negative disables.
	KeepAliveTimeout time.Duration

	// ClaimsNamespace and UserIDClaim say where [SubscriptionClient.WatchMe]
	// finds the caller's user ID in a token, as in [ClientOptions].
	// Optional. Defaults [DefaultClaimsNamespace] and [DefaultUserIDClaim].
	ClaimsNamespace string
	UserIDClaim     string

	// ReadLimit bounds one message from Hasura, in bytes. Optional.
	// Default [DefaultSubscriptionReadLimit].
	ReadLimit int64

	// Logger receives connection events. Tokens never appear in them.
	// Optional: nothing is logged.
	Logger *slog.Logger

	// OnReconnect is called after every connection that replaces
	// another, from the client's own goroutine: it must return quickly.
	// Optional.
	OnReconnect func(ReconnectEvent)
}

// ReconnectEvent describes a connection that replaced another.
type ReconnectEvent struct {
	// Planned is true for a switch-over before the token expired, during
	// which the old connection kept serving.
	Planned bool
	// Cause is why the previous connection ended; nil when Planned.
	Cause error
	// Attempts is how many connection attempts it took.
	Attempts int
	// Downtime is how long no connection served the subscriptions:
	// 0 when Planned.
	Downtime time.Duration
}

// subOptions are [SubscriptionOptions] with defaults applied.
type subOptions struct {
	SubscriptionOptions
	// dialer is a copy of HTTPClient that follows no redirect.
	dialer *http.Client
}

func (o *SubscriptionOptions) resolve() subOptions {
	var r subOptions
	if o != nil {
		r.SubscriptionOptions = *o
	}
	if r.HTTPClient == nil {
		r.HTTPClient = http.DefaultClient
	}
	dialer := *r.HTTPClient
	dialer.CheckRedirect = refuseRedirect
	r.dialer = &dialer
	switch r.Subprotocol {
	case wsproto.SubprotocolTransportWS, wsproto.SubprotocolApollo:
	default:
		r.Subprotocol = ""
	}
	setDefault(&r.SwitchTimeout, DefaultSwitchTimeout)
	setDefault(&r.MinBackoff, DefaultReconnectMinBackoff)
	setDefault(&r.MaxBackoff, DefaultReconnectMaxBackoff)
	if r.MaxBackoff < r.MinBackoff {
		r.MaxBackoff = r.MinBackoff
	}
	if r.ReconnectJitter == 0 {
		r.ReconnectJitter = DefaultReconnectJitter
	}
	setDefault(&r.InitTimeout, DefaultSubscriptionInitTimeout)
	if r.KeepAliveTimeout == 0 {
		r.KeepAliveTimeout = DefaultSubscriptionKeepAliveTimeout
	}
	if r.ReadLimit <= 0 {
		r.ReadLimit = DefaultSubscriptionReadLimit
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	return r
}

func (o *subOptions) namespace() string {
	if o.ClaimsNamespace == "" {
		return DefaultClaimsNamespace
	}
	return o.ClaimsNamespace
}

func (o *subOptions) userIDClaim() string {
	if o.UserIDClaim == "" {
		return DefaultUserIDClaim
	}
	return o.UserIDClaim
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// lead returns how long before expiry a connection whose token had
// lifetime left when it was fetched is replaced.
func (o *subOptions) lead(lifetime time.Duration) time.Duration {
	if o.ReconnectLead > 0 {
		return min(o.ReconnectLead, lifetime/2)
	}
	lead := min(max(lifetime/6, 2*time.Second), 30*time.Second, lifetime/2)
	return lead - time.Duration(rand.Int64N(int64(lead)/10+1))
}

// jitter returns the wait before the first attempt to replace a lost
// connection: at random, up to ReconnectJitter.
func (o *subOptions) jitter() time.Duration {
	if o.ReconnectJitter <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(o.ReconnectJitter) + 1))
}

// backoff returns the wait before connection attempt n, n ≥ 1 failures
// in: half of an exponentially growing step, plus up to as much again at
// random.
func (o *subOptions) backoff(n int) time.Duration {
	return jitteredBackoff(o.MinBackoff, o.MaxBackoff, n)
}

// retryWait returns the wait after the n-th failed attempt in a row,
// which failed with err. A redirect is a misconfiguration that no quick
// retry mends: it waits as long as MaxBackoff allows.
func (o *subOptions) retryWait(err error, n int) time.Duration {
	if errors.Is(err, ErrWebsocketRedirect) {
		return jitteredBackoff(o.MaxBackoff, o.MaxBackoff, 1)
	}
	return o.backoff(n)
}
