package main

import (
	"encoding/json"
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// writeError answers with err's class, as middleware.WriteError maps it,
// and logs err through the request's log record: the answer's message is
// fixed per class, and the error itself goes to the log only.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if rec := recordOf(r.Context()); rec != nil {
		rec.err = err
	}
	middleware.WriteError(w, r, err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The client hung up if this fails; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(v)
}
