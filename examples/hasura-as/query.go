package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// maxResponse bounds the data read from Hasura.
const maxResponse = 64 << 20

// execute mints a token for the session (creating one for a user), sends
// the operation, and prints the data to stdout and the errors to stderr.
func execute(ctx context.Context, inv invocation, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "hasura-as: "+format+"\n", args...)
		return 1
	}
	s, err := signin.SignIn(ctx, inv.env, inv.id)
	if err != nil {
		return fail("%v", err)
	}
	defer func() {
		if err := s.Close(ctx); err != nil {
			fmt.Fprintf(stderr, "hasura-as: %v\n", err)
		}
	}()

	resp, err := post(ctx, inv, s.Tokens)
	if err != nil {
		return fail("%v", err)
	}
	defer resp.Body.Close()
	// Hasura answers its errors with HTTP 200; ErrorFromResponse reads
	// them, and leaves the body to decode for the data.
	err = hasura.ErrorFromResponse(resp)
	herr, _ := errors.AsType[*hasura.Error](err)
	if err != nil && herr == nil {
		return fail("%v", err)
	}
	if herr != nil {
		for _, e := range herr.Errors {
			fmt.Fprintf(stderr, "hasura-as: %s\n", e.Error())
		}
		if herr.StatusCode != http.StatusOK {
			return 1
		}
	}
	var out struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(&out); err != nil && herr == nil {
		return fail("the answer from Hasura is not JSON: %v", err)
	}
	if len(out.Data) > 0 && !bytes.Equal(out.Data, []byte("null")) {
		var buf bytes.Buffer
		if err := json.Indent(&buf, out.Data, "", "  "); err != nil {
			return fail("Hasura's data is not JSON: %v", err)
		}
		buf.WriteByte('\n')
		if _, err := buf.WriteTo(stdout); err != nil {
			return fail("writing the result: %v", err)
		}
	}
	if herr != nil {
		return 1
	}
	return 0
}

// post sends the operation through a clerkhasura.Transport, which adds the
// token, and replaces it once if Hasura rejects it.
func post(ctx context.Context, inv invocation, src clerkhasura.TokenSource) (*http.Response, error) {
	body, err := json.Marshal(struct {
		Query         string          `json:"query"`
		Variables     json.RawMessage `json:"variables,omitempty"`
		OperationName string          `json:"operationName,omitempty"`
	}{inv.query, inv.vars, inv.opName})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inv.env.Endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	tr, err := clerkhasura.NewTransport(inv.env.Endpoint, src, &clerkhasura.TransportOptions{Role: inv.role})
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		// The *url.Error around it repeats the endpoint.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, err
	}
	return resp, nil
}

func isJSONObject(s string) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}
