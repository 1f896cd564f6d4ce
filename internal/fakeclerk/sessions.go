package fakeclerk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Session lifetimes of a default Clerk instance.
const (
	sessionExpiry  = 7 * 24 * time.Hour
	sessionAbandon = 30 * 24 * time.Hour
)

// ErrUnknownSession is returned for a session ID the fake never issued.
var ErrUnknownSession = errors.New("fakeclerk: unknown session")

// ErrInactiveSession is returned for a revoked or expired session.
var ErrInactiveSession = errors.New("fakeclerk: session is not active")

type session struct {
	id, userID, clientID string
	created, updated     time.Time
	revoked              bool
}

// status is the session's status on the fake's clock at now.
func (ss *session) status(now time.Time) string {
	switch {
	case ss.revoked:
		return "revoked"
	case !now.Before(ss.created.Add(sessionExpiry)):
		return "expired"
	default:
		return "active"
	}
}

// sessionJSON is clerk.Session on the wire; times are Unix milliseconds.
type sessionJSON struct {
	Object       string `json:"object"`
	ID           string `json:"id"`
	ClientID     string `json:"client_id"`
	UserID       string `json:"user_id"`
	Status       string `json:"status"`
	LastActiveAt int64  `json:"last_active_at"`
	ExpireAt     int64  `json:"expire_at"`
	AbandonAt    int64  `json:"abandon_at"`
	CreatedAt    int64  `json:"created_at"`
	UpdatedAt    int64  `json:"updated_at"`
}

func (ss *session) json(now time.Time) sessionJSON {
	return sessionJSON{
		Object:       "session",
		ID:           ss.id,
		ClientID:     ss.clientID,
		UserID:       ss.userID,
		Status:       ss.status(now),
		LastActiveAt: ss.updated.UnixMilli(),
		ExpireAt:     ss.created.Add(sessionExpiry).UnixMilli(),
		AbandonAt:    ss.created.Add(sessionAbandon).UnixMilli(),
		CreatedAt:    ss.created.UnixMilli(),
		UpdatedAt:    ss.updated.UnixMilli(),
	}
}

// CreateSession starts an active session for userID and returns its ID.
// Any non-empty user ID is accepted: the fake keeps no user list.
func (s *Server) CreateSession(userID string) (string, error) {
	if userID == "" {
		return "", errors.New("fakeclerk: empty user ID")
	}
	now := s.Now()
	ss := &session{
		id:       newID("sess_"),
		userID:   userID,
		clientID: newID("client_"),
		created:  now,
		updated:  now,
	}
	s.mu.Lock()
	s.sessions[ss.id] = ss
	s.mu.Unlock()
	s.stats.sessionsCreated.Add(1)
	return ss.id, nil
}

// RevokeSession marks the session revoked: it stays readable, and minting
// tokens for it fails with 404.
func (s *Server) RevokeSession(id string) error {
	_, err := s.revoke(id)
	return err
}

// revoke revokes the session id and, the first time, tells the listener.
func (s *Server) revoke(id string) (sessionJSON, error) {
	now := s.Now()
	s.mu.Lock()
	ss, ok := s.sessions[id]
	if !ok {
		s.mu.Unlock()
		return sessionJSON{}, fmt.Errorf("%w %q", ErrUnknownSession, id)
	}
	first := !ss.revoked
	if first {
		ss.revoked = true
		ss.updated = now
		s.stats.sessionsRevoked.Add(1)
	}
	out := ss.json(now)
	s.mu.Unlock()
	if first {
		s.notify("session.revoked", id)
	}
	return out, nil
}

// activeSession returns a copy of the session id if it can mint tokens.
func (s *Server) activeSession(id string) (session, error) {
	now := s.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	ss, ok := s.sessions[id]
	if !ok {
		return session{}, fmt.Errorf("%w %q", ErrUnknownSession, id)
	}
	if st := ss.status(now); st != "active" {
		return session{}, fmt.Errorf("%w: %q is %s", ErrInactiveSession, id, st)
	}
	return *ss, nil
}

func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var body struct {
		UserID string `json:"user_id"`
	}
	if !s.decodeBody(w, r, &body) {
		return
	}
	if body.UserID == "" {
		s.stats.badRequests.Add(1)
		writeError(w, http.StatusUnprocessableEntity, paramMissing("user_id"))
		return
	}
	id, _ := s.CreateSession(body.UserID)
	s.mu.RLock()
	out := s.sessions[id].json(s.Now())
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) {
	now := s.Now()
	s.mu.RLock()
	ss, ok := s.sessions[r.PathValue("id")]
	var out sessionJSON
	if ok {
		out = ss.json(now)
	}
	s.mu.RUnlock()
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRevokeSession(w http.ResponseWriter, r *http.Request) {
	out, err := s.revoke(r.PathValue("id"))
	if err != nil {
		s.handleNotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// maxBody bounds request bodies; Clerk's are a few bytes.
const maxBody = 1 << 16

// decodeBody reads an optional JSON object body into v, answering 400 for
// anything else.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err == nil && len(raw) > 0 {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		s.stats.badRequests.Add(1)
		writeError(w, http.StatusBadRequest)
		return false
	}
	return true
}
