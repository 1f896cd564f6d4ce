package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/redact"
)

// clerkTimeout bounds each Backend API call.
const clerkTimeout = 10 * time.Second

// Session is a signed-in identity: a source of its Hasura tokens. Close
// it at the end.
type Session struct {
	// Tokens mints the session's tokens from the JWT template, cached.
	Tokens *clerkhasura.CachedTokenSource

	sessions *session.Client
	created  string // the session made for Identity.UserID, revoked by Close
}

// SignIn returns a token source for id: for a user, through a session
// created for the purpose, which Clerk allows on development instances
// only. Tokens are minted when first asked for.
func SignIn(ctx context.Context, env Env, id Identity) (*Session, error) {
	if err := id.Check(); err != nil {
		return nil, err
	}
	// Clerk's answers are a few kilobytes; a proxy's error page may not be.
	bc := clerk.BackendConfig{Key: clerk.String(env.SecretKey), HTTPClient: &http.Client{
		Timeout: clerkTimeout, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
	if env.APIURL != "" {
		bc.URL = clerk.String(env.APIURL)
	}
	s := &Session{sessions: session.NewClient(&clerk.ClientConfig{BackendConfig: bc})}
	sid := id.SessionID
	if id.UserID != "" {
		created, err := s.sessions.Create(ctx, &session.CreateParams{UserID: id.UserID})
		if err != nil {
			return nil, fmt.Errorf("creating a session for %s (development instances only): %s", id.UserID, clerkMessage(err))
		}
		sid, s.created = created.ID, created.ID
	}
	minter, err := clerkhasura.NewSessionTokenSource(s.sessions, sid, env.Template, nil)
	if err == nil {
		s.Tokens, err = clerkhasura.NewCachedTokenSource(minter, nil)
	}
	if err != nil {
		return nil, errors.Join(err, s.Close(ctx))
	}
	return s, nil
}

// Close stops the token source and revokes the session SignIn created,
// if any, within 5 seconds even when ctx is done.
func (s *Session) Close(ctx context.Context) error {
	if s.Tokens != nil {
		s.Tokens.Close()
	}
	if s.created == "" {
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	sid := s.created
	s.created = ""
	if _, err := s.sessions.Revoke(rctx, &session.RevokeParams{ID: sid}); err != nil {
		return fmt.Errorf("revoking session %s: %s", sid, clerkMessage(err))
	}
	return nil
}

// clerkMessage shortens an error of clerk-sdk-go, whose text is a JSON
// dump of Clerk's answer, to Clerk's first message.
func clerkMessage(err error) string {
	var apiErr *clerk.APIErrorResponse
	if errors.As(err, &apiErr) && len(apiErr.Errors) > 0 {
		return fmt.Sprintf("HTTP %d: %s", apiErr.HTTPStatusCode, redact.Line(apiErr.Errors[0].Message, 200))
	}
	return redact.Line(err.Error(), 200)
}
