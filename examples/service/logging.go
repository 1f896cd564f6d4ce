package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
)

// record is what the request log says about one request; handlers fill
// it in through the context.
type record struct {
	status    int
	sessionID string
	userID    string
	err       error
}

type recordKey struct{}

func recordOf(ctx context.Context) *record {
	rec, _ := ctx.Value(recordKey{}).(*record)
	return rec
}

// withSession notes the verified session in the request's record.
func withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if claims, ok := clerk.SessionClaimsFromContext(r.Context()); ok {
			if rec := recordOf(r.Context()); rec != nil {
				rec.sessionID, rec.userID = claims.SessionID, claims.Subject
			}
		}
		next.ServeHTTP(w, r)
	})
}

// logRequests logs each request once it is answered: method, path,
// status, duration, and the session and error when there are. Headers,
// and so tokens, are never logged; errors of clerkhasura never hold one.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &record{status: http.StatusOK}
		next.ServeHTTP(&statusWriter{ResponseWriter: w, rec: rec}, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start)}
		if rec.sessionID != "" {
			attrs = append(attrs, "session", rec.sessionID, "user", rec.userID)
		}
		level := slog.LevelInfo
		if rec.err != nil {
			attrs = append(attrs, "err", rec.err.Error())
			if rec.status >= 500 {
				level = slog.LevelError
			}
		}
		log.Log(r.Context(), level, "request", attrs...)
	})
}

// statusWriter records the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	rec   *record
	wrote bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.rec.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
