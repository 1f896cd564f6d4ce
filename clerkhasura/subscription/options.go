package subscription

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/backoff"
	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// Defaults of [Options].
const (
	defaultSwitchTimeout    = 3 * time.Second
	defaultMinBackoff       = 250 * time.Millisecond
	defaultMaxBackoff       = 30 * time.Second
	defaultReconnectJitter  = time.Second
	defaultInitTimeout      = 10 * time.Second
	defaultKeepAliveTimeout = 30 * time.Second
	defaultReadLimit        = 16 << 20
)

// Options configures [New]. A nil *Options, and every zero field, means
// the default.
type Options struct {
	// Role is sent as x-hasura-role in connection_init, to run the
	// subscriptions as a role other than the token's default role.
	// Optional.
	Role string

	// HTTPClient makes the websocket handshake; its Transport must give
	// writable response bodies, as http.Transport does. The handshake
	// follows no redirect, whatever its CheckRedirect says: a redirect
	// fails with [ErrWebsocketRedirect]. Optional: http.DefaultClient.
	HTTPClient *http.Client

	// Subprotocol forces one subprotocol, "graphql-transport-ws" or
	// "graphql-ws" (Apollo); any other value means the default. By default
	// the client offers graphql-transport-ws alone, as Hasura runs it only
	// when it is the only subprotocol offered (offered both, Hasura picks
	// Apollo's); a server that refuses it, or answers with another
	// subprotocol or none, is asked again for graphql-ws, which the client
	// then keeps to. Optional.
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
	// Optional: 3 s.
	SwitchTimeout time.Duration

	// MinBackoff and MaxBackoff bound the jittered exponential wait
	// between failed connection attempts; after a redirect, which no
	// quick retry mends, the wait is about MaxBackoff. Optional: 250 ms
	// and 30 s.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// ReconnectJitter bounds the random wait before the first attempt to
	// replace a lost connection, so that the clients of a restarted
	// Hasura do not all come back in the same instant. Optional: 1 s;
	// negative means no wait.
	ReconnectJitter time.Duration

	// InitTimeout bounds dialling and the connection_init handshake.
	// Optional: 10 s.
	InitTimeout time.Duration

	// KeepAliveTimeout is how long a connection may receive nothing, not
	// even a keepalive, before it is presumed dead and replaced, in real
	// time: it judges the network, which Clock does not move. Hasura
	// sends a keepalive every 5 s. Optional: 30 s; negative disables.
	KeepAliveTimeout time.Duration

	// ClaimsNamespace and UserIDClaim say where [Client.WatchMe] finds the
	// caller's user ID in a token, as in [hasura.ClientOptions]. Optional:
	// [hasura.DefaultClaimsNamespace] and [hasura.DefaultUserIDClaim].
	ClaimsNamespace string
	UserIDClaim     string

	// ReadLimit bounds one message from Hasura, in bytes. Optional: 16 MiB.
	ReadLimit int64

	// Logger receives connection events. Tokens never appear in them.
	// Optional: nothing is logged.
	Logger *slog.Logger

	// OnReconnect is called after every connection that replaces
	// another, from the client's own goroutine: it must return quickly.
	// Optional.
	OnReconnect func(ReconnectEvent)

	// Clock times every decision the client makes by time: when a
	// connection is replaced before its token expires, SwitchTimeout,
	// the waits between attempts, the quick-loss rule, InitTimeout and
	// ReconnectEvent.Downtime. Token expiries are read on it, so it must
	// be the clock of the token source (a cache's CacheOptions.Clock). A
	// test moves it instead of sleeping. What judges the network alone
	// stays in real time: the write timeout and KeepAliveTimeout.
	// Optional: the system clock.
	Clock clerkhasura.Clock
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

// resolvedOptions are [Options] with defaults applied.
type resolvedOptions struct {
	Options
	// dialer is a copy of HTTPClient that follows no redirect.
	dialer *http.Client
}

func (o *Options) resolve() resolvedOptions {
	var r resolvedOptions
	if o != nil {
		r.Options = *o
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
	setDefault(&r.SwitchTimeout, defaultSwitchTimeout)
	setDefault(&r.MinBackoff, defaultMinBackoff)
	setDefault(&r.MaxBackoff, defaultMaxBackoff)
	if r.MaxBackoff < r.MinBackoff {
		r.MaxBackoff = r.MinBackoff
	}
	if r.ReconnectJitter == 0 {
		r.ReconnectJitter = defaultReconnectJitter
	}
	setDefault(&r.InitTimeout, defaultInitTimeout)
	if r.KeepAliveTimeout == 0 {
		r.KeepAliveTimeout = defaultKeepAliveTimeout
	}
	if r.ReadLimit <= 0 {
		r.ReadLimit = defaultReadLimit
	}
	if r.ClaimsNamespace == "" {
		r.ClaimsNamespace = hasura.DefaultClaimsNamespace
	}
	if r.UserIDClaim == "" {
		r.UserIDClaim = hasura.DefaultUserIDClaim
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	if r.Clock == nil {
		r.Clock = clock.System{}
	}
	return r
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// lead returns how long before expiry a connection whose token had
// lifetime left when it was fetched is replaced.
func (o *resolvedOptions) lead(lifetime time.Duration) time.Duration {
	if o.ReconnectLead > 0 {
		return min(o.ReconnectLead, lifetime/2)
	}
	lead := min(max(lifetime/6, 2*time.Second), 30*time.Second, lifetime/2)
	return lead - time.Duration(rand.Int64N(int64(lead)/10+1))
}

// jitter returns the wait before the first attempt to replace a lost
// connection: at random, up to ReconnectJitter.
func (o *resolvedOptions) jitter() time.Duration {
	if o.ReconnectJitter <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(o.ReconnectJitter) + 1))
}

// backoff returns the wait before connection attempt n, n ≥ 1 failures
// in: half of an exponentially growing step, plus up to as much again at
// random.
func (o *resolvedOptions) backoff(n int) time.Duration {
	return backoff.Jittered(o.MinBackoff, o.MaxBackoff, n)
}

// retryWait returns the wait after the n-th failed attempt in a row,
// which failed with err. A redirect is a misconfiguration that no quick
// retry mends: it waits as long as MaxBackoff allows.
func (o *resolvedOptions) retryWait(err error, n int) time.Duration {
	if errors.Is(err, ErrWebsocketRedirect) {
		return backoff.Jittered(o.MaxBackoff, o.MaxBackoff, 1)
	}
	return o.backoff(n)
}
