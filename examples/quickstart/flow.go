package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// summary is what a run observed.
type summary struct {
	// AfterRequests are the cache's counters after the first requests.
	AfterRequests clerkhasura.Stats
	// Final are the cache's counters at the end.
	Final clerkhasura.Stats
	// OtherHidden is set when the other user's row was not found.
	OtherHidden bool
	// Replaced is set when the first token was replaced before it expired.
	Replaced bool
	// WaitsDuringRefresh counts Token calls that waited for a mint while
	// the first token aged and was replaced.
	WaitsDuringRefresh uint64
	// MaxWait is the longest Token call in that time.
	MaxWait time.Duration
}

const timeLayout = "2006-01-02 15:04:05.999999 UTC"

// runFlow acts as the world's session: it reads and updates the caller's
// row through one token cache, then keeps calling until the first token
// has expired, and writes what happens to out. It never writes a token.
func runFlow(ctx context.Context, out io.Writer, w world) (summary, error) {
	var s summary
	start := time.Now()
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	for _, line := range w.header {
		say("%s", line)
	}
	if w.lifetime > 0 {
		say("tokens:  asked of Clerk to live %s", w.lifetime)
	}

	tokens, err := clerkhasura.NewSessionTokens(w.sessions, w.template, &clerkhasura.SessionTokensOptions{Lifetime: w.lifetime})
	if err != nil {
		return s, err
	}
	defer tokens.Close()
	src := &countingSource{src: tokens.Source(w.sessionID)}
	hc, err := hasura.NewClient(w.endpoint, src, &hasura.ClientOptions{Base: w.transport})
	if err != nil {
		return s, err
	}

	say("")
	say("1. Requests as the signed-in user, all through one SessionTokens cache:")
	if err := requests(ctx, say, hc, w.otherUserID, &s); err != nil {
		return s, err
	}
	s.AfterRequests = tokens.Stats()
	st := s.AfterRequests
	step(say, "token cache", "Clerk minted %s for %d token requests: %d served from the cache, %d waited (the first)",
		tokensWord(st.Mints), src.calls.Load(), src.calls.Load()-st.Waits, st.Waits)

	say("")
	if err := refresh(ctx, say, hc, tokens, src, &s); err != nil {
		return s, err
	}
	s.Final = tokens.Stats()
	st = s.Final
	say("   counters: stale serves %d, background refreshes %d, mints %d in all", st.StaleServes, st.Refreshes, st.Mints)
	say("   callers that waited for a token: %d; longest Token call: %s", s.WaitsDuringRefresh, s.MaxWait)
	say("")
	total := src.calls.Load()
	say("done in %s: Clerk minted %s for %d token requests (uncached, it would have minted %d)",
		time.Since(start).Round(10*time.Millisecond), tokensWord(st.Mints), total, total)
	for _, line := range w.footer {
		say("%s", line)
	}
	return s, nil
}

// requests reads the caller's row (creating it when missing), tries the
// other user's, lists what is visible and touches last_seen.
func requests(ctx context.Context, say func(string, ...any), hc *hasura.Client, other string, s *summary) error {
	me, err := hc.Me(ctx)
	if errors.Is(err, hasura.ErrNotFound) {
		step(say, "Me()", "ErrNotFound: no row yet")
		me, err = hc.UpsertMe(ctx, "Quickstart user")
		if err == nil {
			step(say, fmt.Sprintf("UpsertMe(%q)", "Quickstart user"), "created %s", me.ID)
		}
	}
	if err != nil {
		return fmt.Errorf("reading the caller's row: %w", err)
	}
	step(say, "Me()", "%s %q, last seen %s", me.ID, name(me), me.LastSeen.Format(timeLayout))

	_, err = hc.User(ctx, other)
	switch {
	case errors.Is(err, hasura.ErrNotFound):
		s.OtherHidden = true
		step(say, fmt.Sprintf("User(%q)", other), "ErrNotFound: the user role sees only its own row")
	case err != nil:
		return fmt.Errorf("reading another user's row: %w", err)
	default:
		step(say, fmt.Sprintf("User(%q)", other), "visible: Hasura's permissions let the user role see other rows")
	}

	visible, err := hc.Users(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing users: %w", err)
	}
	ids := make([]string, len(visible))
	for i, u := range visible {
		ids[i] = u.ID
	}
	step(say, "Users(nil)", "rows visible: %v", ids)

	seen, err := hc.TouchLastSeen(ctx)
	if err != nil {
		return fmt.Errorf("touching last_seen: %w", err)
	}
	step(say, "TouchLastSeen()", "last_seen is now %s", seen.Format(timeLayout))
	return nil
}

// refresh keeps calling Me until the token in use now has expired, and
// reports when the token turned stale and when its successor arrived.
func refresh(ctx context.Context, say func(string, ...any), hc *hasura.Client,
	tokens *clerkhasura.SessionTokens, src clerkhasura.TokenSource, s *summary) error {
	first, err := src.Token(ctx)
	if err != nil {
		return err
	}
	lifetime := time.Until(first.Expiry).Round(100 * time.Millisecond)
	tick := max(lifetime/30, 50*time.Millisecond)
	say("2. Refresh before expiry: Me() every %s until the current token has expired (in %s)", tick, lifetime)

	start := time.Now()
	before := tokens.Stats()
	stale := false
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		t0 := time.Now()
		tok, err := src.Token(ctx)
		s.MaxWait = max(s.MaxWait, time.Since(t0))
		if err != nil {
			return err
		}
		at := time.Since(start).Seconds()
		if !stale && tokens.Stats().StaleServes > before.StaleServes {
			stale = true
			say("   +%.2fs  the token turned stale: still served while one background refresh runs", at)
		}
		if !s.Replaced && tok.Value != first.Value {
			s.Replaced = true
			say("   +%.2fs  a fresh token is in use, %s before the old one expires", at,
				time.Until(first.Expiry).Round(10*time.Millisecond))
		}
		if _, err := hc.Me(ctx); err != nil {
			return fmt.Errorf("reading the caller's row during the refresh: %w", err)
		}
		if time.Now().After(first.Expiry) {
			say("   +%.2fs  the old token has expired; requests go on with the fresh one", at)
			break
		}
		select {
		case <-ticker.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.WaitsDuringRefresh = tokens.Stats().Waits - before.Waits
	s.MaxWait = s.MaxWait.Round(time.Microsecond)
	return nil
}

// step writes one call of the flow and what it returned, in two columns.
func step(say func(string, ...any), call, format string, args ...any) {
	say("   %-20s → "+format, append([]any{call}, args...)...)
}

func tokensWord(n uint64) string {
	if n == 1 {
		return "1 token"
	}
	return fmt.Sprintf("%d tokens", n)
}

func name(u *hasura.User) string {
	if u.Name == nil {
		return ""
	}
	return *u.Name
}
