package fakehasura

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v3"
)

// keySet is the JWKS fetched from jwk_url, refreshed as Hasura refreshes
// it: when the expiry taken from the last response's Cache-Control or
// Expires header has passed. Hasura polls for that every second in the
// background; the engine checks when a request arrives, which fetches the
// same documents without a background goroutine and without sleeping.
//
// With refetchUnknownKID the engine also fetches again, once per new key
// set, when a token names a kid the set lacks: real Hasura waits for the
// cached set to expire, which a test with a frozen clock would never see.
type keySet struct {
	url               string
	client            *http.Client
	ctx               context.Context
	refetchUnknownKID bool

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	expiry  time.Time
	expires bool            // false: no header gave an expiry, never refresh
	missed  map[string]bool // kids still unknown after a refetch of this set
	fetches int64
}

func (k *keySet) fetchLocked(now time.Time) error {
	k.fetches++
	ctx, cancel := context.WithTimeout(k.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return fmt.Errorf("Error fetching JWK: %w", err)
	}
	req.Header.Set("User-Agent", "hasura-graphql-engine/clerkhasuratest")
	resp, err := k.client.Do(req)
	if err != nil {
		return fmt.Errorf("Error fetching JWK: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("Error fetching JWK: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("Non-2xx response on fetching JWK from: %s (status %d)", k.url, resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return fmt.Errorf("Error parsing JWK from url: %s: %w", k.url, err)
	}
	k.keys = set.Keys
	k.missed = nil
	if exp, ok := jwksExpiry(resp.Header, now); ok {
		k.expiry, k.expires = exp, true
	}
	return nil
}

// current returns the keys, fetching them again first when the cached set
// is empty or has expired. A failed refresh keeps the old keys, as Hasura
// does.
func (k *keySet) current(now time.Time) []jose.JSONWebKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) == 0 || (k.expires && !now.Before(k.expiry)) {
		_ = k.fetchLocked(now)
	}
	return k.keys
}

// refetchFor fetches again for a kid the set lacks, unless this set was
// already fetched again for it. It returns the new keys and whether it
// fetched.
func (k *keySet) refetchFor(kid string, now time.Time) ([]jose.JSONWebKey, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.refetchUnknownKID || kid == "" || k.missed[kid] || hasKID(k.keys, kid) {
		return k.keys, false
	}
	if err := k.fetchLocked(now); err != nil || !hasKID(k.keys, kid) {
		if k.missed == nil {
			k.missed = map[string]bool{}
		}
		k.missed[kid] = true
	}
	return k.keys, true
}

func (k *keySet) fetchCount() int64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fetches
}

func hasKID(keys []jose.JSONWebKey, kid string) bool {
	for _, key := range keys {
		if key.KeyID == kid {
			return true
		}
	}
	return false
}

// jwksExpiry is Hasura's determineJwkExpiryLifetime: Cache-Control first
// (must-revalidate: max-age or now; no-cache or no-store: now; else
// max-age), then Expires. ok is false when neither gives a time, and the
// previous expiry then stays.
func jwksExpiry(h http.Header, now time.Time) (time.Time, bool) {
	if cc := h.Get("Cache-Control"); cc != "" {
		var maxAge *int64
		var mustRevalidate, noCache bool
		for _, d := range strings.Split(cc, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "max-age", "s-maxage":
				if n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64); err == nil && maxAge == nil {
					maxAge = &n
				}
			case "must-revalidate":
				mustRevalidate = true
			case "no-cache", "no-store":
				noCache = true
			}
		}
		switch {
		case mustRevalidate && maxAge != nil:
			return now.Add(time.Duration(*maxAge) * time.Second), true
		case mustRevalidate, noCache:
			return now, true
		case maxAge != nil:
			return now.Add(time.Duration(*maxAge) * time.Second), true
		}
	}
	if exp := h.Get("Expires"); exp != "" {
		if t, err := http.ParseTime(exp); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
