package fakeclerk

import (
	"encoding/json"
	"fmt"
)

// sessionEventStatus is the session status each session event of Clerk's
// webhooks reports.
var sessionEventStatus = map[string]string{
	"session.created": "active",
	"session.ended":   "ended",
	"session.removed": "removed",
	"session.revoked": "revoked",
}

// webhookEvent is a Clerk webhook event on the wire.
type webhookEvent struct {
	Data       sessionJSON `json:"data"`
	InstanceID string      `json:"instance_id"`
	Object     string      `json:"object"`
	Timestamp  int64       `json:"timestamp"`
	Type       string      `json:"type"`
}

// SessionEvent returns the body of the webhook event eventType, one of
// session.created, session.ended, session.removed and session.revoked,
// for the session id: the session as GET /v1/sessions/{id} shows it, with
// the status the event reports.
func (s *Server) SessionEvent(eventType, id string) ([]byte, error) {
	status, ok := sessionEventStatus[eventType]
	if !ok {
		return nil, fmt.Errorf("fakeclerk: %q is not a session event", eventType)
	}
	now := s.Now()
	s.mu.RLock()
	ss, ok := s.sessions[id]
	var data sessionJSON
	if ok {
		data = ss.json(now)
	}
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSession, id)
	}
	data.Status = status
	return json.Marshal(webhookEvent{
		Data:       data,
		InstanceID: s.instanceID,
		Object:     "event",
		Timestamp:  now.UnixMilli(),
		Type:       eventType,
	})
}

// SetSessionListener makes f be called with the event type and the
// session ID whenever a session ends, over HTTP or directly: today, with
// "session.revoked" when a session is revoked. It runs after the change,
// on the goroutine that made it, before the revoke returns. nil removes
// it.
func (s *Server) SetSessionListener(f func(eventType, sessionID string)) {
	if f == nil {
		s.listener.Store(nil)
		return
	}
	s.listener.Store(&f)
}

func (s *Server) notify(eventType, sessionID string) {
	if f := s.listener.Load(); f != nil {
		(*f)(eventType, sessionID)
	}
}
