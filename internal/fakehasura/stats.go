package fakehasura

import "sync"

// Stats counts what an engine answered.
type Stats struct {
	// Requests counts HTTP requests to /v1/graphql.
	Requests int64
	// Operations counts operations that ran to a result.
	Operations int64
	// Errors counts error answers by extensions.code, authentication
	// failures included.
	Errors map[string]int64
	// JWKSFetches counts requests for the JWKS of every jwk_url, those
	// at startup included.
	JWKSFetches int64
}

type statsCounter struct {
	mu         sync.Mutex
	requests   int64
	operations int64
	errors     map[string]int64
}

func (s *statsCounter) request() {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
}

func (s *statsCounter) record(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == "" {
		s.operations++
		return
	}
	if s.errors == nil {
		s.errors = map[string]int64{}
	}
	s.errors[code]++
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	e.stats.mu.Lock()
	st := Stats{Requests: e.stats.requests, Operations: e.stats.operations, Errors: map[string]int64{}}
	for k, v := range e.stats.errors {
		st.Errors[k] = v
	}
	e.stats.mu.Unlock()
	for _, s := range e.secrets {
		if s.jwks != nil {
			st.JWKSFetches += s.jwks.fetchCount()
		}
	}
	return st
}
