package clerkhasura

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// Each benchmark runs the cache beside golang.org/x/oauth2's
// ReuseTokenSource doing the same work over an equivalent source, so that
// figures compare within one run.

// benchSource mints ~900-byte JWTs on a clock (nil: the system clock)
// after a delay, and counts.
type benchSource struct {
	clock    Clock
	lifetime time.Duration
	delay    time.Duration
	mints    atomic.Int64
}

func (s *benchSource) mint() (string, time.Time) {
	s.mints.Add(1)
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	t := orSystem(s.clock).Now()
	return testkit.FakeJWT(t, s.lifetime, "user_2bench", 900), t.Add(s.lifetime)
}

// Token is the clerkhasura side: a TokenSource.
func (s *benchSource) Token(context.Context) (*Token, error) {
	v, exp := s.mint()
	return &Token{Value: v, Expiry: exp}, nil
}

// oauth2Source is the same source as an oauth2.TokenSource.
type oauth2Source struct{ *benchSource }

func (s oauth2Source) Token() (*oauth2.Token, error) {
	v, exp := s.mint()
	return &oauth2.Token{AccessToken: v, Expiry: exp}, nil
}

func BenchmarkCachedHit(b *testing.B) {
	b.Run("clerkhasura", func(b *testing.B) {
		c := newCache(b, &benchSource{lifetime: time.Hour}, nil)
		defer c.Close()
		ctx := context.Background()
		if _, err := c.Token(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Token(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("oauth2", benchOAuth2Hit)
}

func benchOAuth2Hit(b *testing.B) {
	ts := oauth2.ReuseTokenSource(nil, oauth2Source{&benchSource{lifetime: time.Hour}})
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkExpiryMaxWait lets tokens of 100 ms from a source that takes
// 20 ms expire 100 times under steady use, and reports the longest any
// caller waited after the first token. Both expire tokens 10 ms early.
func BenchmarkExpiryMaxWait(b *testing.B) {
	const (
		lifetime = 100 * time.Millisecond
		delay    = 20 * time.Millisecond
		expiries = 100
		callers  = 4
	)
	run := func(b *testing.B, src *benchSource, token func() error) {
		var worst atomic.Int64
		for range b.N {
			if err := token(); err != nil { // warm-up
				b.Fatal(err)
			}
			stop := src.mints.Load() + expiries
			var wg sync.WaitGroup
			for range callers {
				wg.Go(func() {
					for src.mints.Load() < stop {
						t0 := time.Now()
						if err := token(); err != nil {
							b.Error(err)
							return
						}
						if d := int64(time.Since(t0)); d > worst.Load() {
							worst.Store(d)
						}
						time.Sleep(time.Millisecond)
					}
				})
			}
			wg.Wait()
		}
		b.ReportMetric(float64(worst.Load())/float64(time.Millisecond), "max-wait-ms")
	}
	b.Run("clerkhasura", func(b *testing.B) {
		src := &benchSource{lifetime: lifetime, delay: delay}
		// The refresh window is learned from the source's latency.
		c := newCache(b, src, &CacheOptions{EarlyExpiry: 10 * time.Millisecond, RefreshJitter: -1})
		defer c.Close()
		ctx := context.Background()
		run(b, src, func() error { _, err := c.Token(ctx); return err })
	})
	b.Run("oauth2", func(b *testing.B) {
		src := &benchSource{lifetime: lifetime, delay: delay}
		ts := oauth2.ReuseTokenSourceWithExpiry(nil, oauth2Source{src}, 10*time.Millisecond)
		run(b, src, func() error { _, err := ts.Token(); return err })
	})
}

// BenchmarkMintsPerHour uses one session's 60 s tokens once a second for
// a simulated hour, with default options, and reports mints per hour: 60
// is one mint per token lifetime.
func BenchmarkMintsPerHour(b *testing.B) {
	b.Run("clerkhasura", func(b *testing.B) {
		var mints int64
		for range b.N {
			clock := testkit.NewClock()
			src := &benchSource{clock: clock, lifetime: time.Minute}
			c := newCache(b, src, &CacheOptions{Clock: clock})
			ctx := context.Background()
			for range 3600 {
				if _, err := c.Token(ctx); err != nil {
					b.Fatal(err)
				}
				c.waitIdle()
				clock.Advance(time.Second)
			}
			c.Close()
			mints += src.mints.Load()
		}
		b.ReportMetric(float64(mints)/float64(b.N), "mints/hour")
	})
	b.Run("oauth2", func(b *testing.B) {
		var mints int64
		for range b.N {
			// oauth2 reads the real clock, so simulated time moves each
			// token's Expiry instead: it keeps its time left.
			var (
				sim, simExpiry time.Duration
				cur            *oauth2.Token
			)
			src := &benchSource{lifetime: time.Minute}
			ts := oauth2.ReuseTokenSource(nil, tokenFunc(func() (*oauth2.Token, error) {
				tok, err := oauth2Source{src}.Token()
				cur, simExpiry = tok, sim+time.Minute
				return tok, err
			}))
			for ; sim < time.Hour; sim += time.Second {
				if cur != nil {
					cur.Expiry = time.Now().Add(simExpiry - sim)
				}
				if _, err := ts.Token(); err != nil {
					b.Fatal(err)
				}
			}
			mints += src.mints.Load()
		}
		b.ReportMetric(float64(mints)/float64(b.N), "mints/hour")
	})
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }
