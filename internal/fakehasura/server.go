package fakehasura

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
)

// maxBody bounds a request body.
const maxBody = 16 << 20

// ServeHTTP answers POST /v1/graphql as Hasura does, every GraphQL and
// authentication error with HTTP 200, and GET /healthz with "OK". Other
// paths get Hasura's 404 body.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Request-Id", requestID())
	switch r.URL.Path {
	case "/healthz":
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "OK")
		return
	case "/v1/graphql":
	default:
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"path":"$","error":"resource does not exist","code":"not-found"}`)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	if r.Method != http.MethodPost {
		h.Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write(notEmulated("$", "%s /v1/graphql; use POST", r.Method).Body())
		return
	}
	e.stats.request()
	_, _ = w.Write(e.answer(r))
}

func (e *Engine) answer(r *http.Request) []byte {
	sess, err := e.authenticate(r.Header)
	if err != nil {
		e.stats.record(err.Code)
		return err.Body()
	}
	body, rerr := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if rerr != nil {
		err := newError(CodeInvalidJSON, "$", "Error in $: not enough input")
		e.stats.record(err.Code)
		return err.Body()
	}
	reqs, batched, err := decodeBody(body)
	if err != nil {
		e.stats.record(err.Code)
		return err.Body()
	}
	var w jsonWriter
	if batched {
		w.raw("[")
	}
	for i, req := range reqs {
		if i > 0 {
			w.raw(",")
		}
		out, err := e.execute(sess, req, runMode{})
		if err != nil {
			out = err.Body()
		}
		w.rawBytes(out)
	}
	if batched {
		w.raw("]")
	}
	return w.bytes()
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
