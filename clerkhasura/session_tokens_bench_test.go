package clerkhasura

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func sessionIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("sess_2%027d", i)
	}
	return ids
}

// benchSessions fills a SessionTokens with a token for each of ids.
func benchSessions(b *testing.B, ids []string, lifetime time.Duration) *SessionTokens {
	src := &benchSource{lifetime: lifetime}
	st := newSessionTokens("hasura", &SessionTokensOptions{MaxSessions: 2 * len(ids)},
		func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) })
	ctx := context.Background()
	for _, id := range ids {
		if _, err := st.Source(id).Token(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkSessionTokensHit asks 10 000 cached sessions for their tokens,
// beside oauth2's single-token hit.
func BenchmarkSessionTokensHit(b *testing.B) {
	b.Run("clerkhasura", func(b *testing.B) {
		ids := sessionIDs(10_000)
		st := benchSessions(b, ids, time.Hour)
		defer st.Close()
		ctx := context.Background()
		var next atomic.Int64
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := int(next.Add(1)) * 3_331 % len(ids)
			for pb.Next() {
				if i++; i == len(ids) {
					i = 0
				}
				if _, err := st.Source(ids[i]).Token(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("oauth2-single", benchOAuth2Hit)
}

// BenchmarkMemoryPerSession reports the heap that 100 000 sessions with
// ~900-byte JWTs take, per session.
func BenchmarkMemoryPerSession(b *testing.B) {
	const n = 100_000
	measure := func(b *testing.B, fill func(ids []string) any) {
		var per float64
		for range b.N {
			ids := sessionIDs(n)
			before := heap()
			keep := fill(ids)
			after := heap()
			runtime.KeepAlive(keep)
			per += float64(after-before) / n
		}
		b.ReportMetric(per/float64(b.N), "B/session")
	}
	b.Run("clerkhasura", func(b *testing.B) {
		measure(b, func(ids []string) any { return benchSessions(b, ids, time.Hour) })
	})
	b.Run("oauth2", func(b *testing.B) {
		measure(b, func(ids []string) any {
			src := oauth2Source{&benchSource{lifetime: time.Hour}}
			m := make(map[string]oauth2.TokenSource)
			for _, id := range ids {
				ts := oauth2.ReuseTokenSource(nil, src)
				if _, err := ts.Token(); err != nil {
					b.Fatal(err)
				}
				m[id] = ts
			}
			return m
		})
	})
}

func heap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
