package wsproto

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFromSubprotocol(t *testing.T) {
	tests := []struct {
		name string
		want Protocol
	}{
		{"graphql-transport-ws", TransportWS},
		{"graphql-ws", Apollo},
		{"", Apollo},
		{"something-else", Apollo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, FromSubprotocol(tt.name))
		})
	}
}

func TestProtocolMessageNames(t *testing.T) {
	tests := []struct {
		p                                  Protocol
		name, subscribe, stop, next, alive string
	}{
		{TransportWS, "graphql-transport-ws", "subscribe", "complete", "next", "ping"},
		{Apollo, "graphql-ws", "start", "stop", "data", "ka"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.name, tt.p.String())
			assert.Equal(t, tt.subscribe, tt.p.Subscribe())
			assert.Equal(t, tt.stop, tt.p.Stop())
			assert.Equal(t, tt.next, tt.p.Next())
			assert.Equal(t, tt.alive, tt.p.KeepAlive())
		})
	}
	assert.Equal(t, "wsproto.Protocol(0)", Protocol(0).String())
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Message
		wantErr string
	}{
		{"ack", `{"type":"connection_ack"}`, Message{Type: "connection_ack"}, ""},
		{"keepalive ping has no id", `{"type":"ping","payload":{"message":"keepalive"}}`,
			Message{Type: "ping", Payload: json.RawMessage(`{"message":"keepalive"}`)}, ""},
		{"next", ` {"id":"1","type":"next","payload":{"data":{"a":1}}} `,
			Message{ID: "1", Type: "next", Payload: json.RawMessage(`{"data":{"a":1}}`)}, ""},
		{"null payload is absent", `{"type":"complete","id":"7","payload":null}`, Message{ID: "7", Type: "complete"}, ""},
		{"null id is absent", `{"type":"ka","id":null}`, Message{Type: "ka"}, ""},
		{"array", `[1]`, Message{}, "not a JSON object"},
		{"empty", ``, Message{}, "not a JSON object"},
		{"broken", `{"type":`, Message{}, "invalid JSON"},
		{"no type", `{"id":"1"}`, Message{}, "type is missing"},
		{"empty type", `{"type":""}`, Message{}, "type is missing"},
		{"numeric type", `{"type":1}`, Message{}, "type is missing"},
		{"numeric id", `{"type":"next","id":1}`, Message{}, "id is not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.True(t, errors.Is(err, ErrMalformed))
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	tests := []Message{
		{Type: "connection_init", Payload: InitPayload(map[string]string{"Authorization": "Bearer x"})},
		{Type: "ping"},
		{ID: "sub-1", Type: "subscribe", Payload: json.RawMessage(`{"query":"subscription { a }"}`)},
	}
	for _, m := range tests {
		t.Run(m.Type, func(t *testing.T) {
			got, err := Decode(Encode(m))
			require.NoError(t, err)
			assert.Equal(t, m.ID, got.ID)
			assert.Equal(t, m.Type, got.Type)
			if m.Payload == nil {
				assert.Nil(t, got.Payload)
			} else {
				assert.JSONEq(t, string(m.Payload), string(got.Payload))
			}
		})
	}
	t.Run("invalid payload is dropped", func(t *testing.T) {
		got := Encode(Message{Type: "pong", Payload: json.RawMessage(`{`)})
		assert.JSONEq(t, `{"type":"pong"}`, string(got))
	})
	t.Run("no id when empty", func(t *testing.T) {
		assert.NotContains(t, string(Encode(Message{Type: "pong"})), `"id"`)
	})
}

func TestInitHeaders(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    map[string]string
		wantErr bool
	}{
		{"absent", ``, nil, false},
		{"no headers", `{}`, nil, false},
		{"null headers", `{"headers":null}`, nil, false},
		{"headers", `{"headers":{"Authorization":"Bearer t","x-hasura-role":"user"}}`,
			map[string]string{"Authorization": "Bearer t", "x-hasura-role": "user"}, false},
		{"not an object", `"x"`, nil, true},
		{"non-string header", `{"headers":{"Authorization":1}}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InitHeaders(json.RawMessage(tt.payload))
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrMalformed)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	round, err := InitHeaders(InitPayload(map[string]string{"Authorization": "Bearer abc"}))
	require.NoError(t, err)
	assert.Equal(t, "Bearer abc", round["Authorization"])
}

func TestErrorsPayload(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"transport-ws array", `[{"message":"m","extensions":{"code":"validation-failed","path":"$"}}]`,
			`{"errors":[{"message":"m","extensions":{"code":"validation-failed","path":"$"}}]}`},
		{"apollo errors object", `{"errors":[{"message":"m"}]}`, `{"errors":[{"message":"m"}]}`},
		{"single error object", `{"message":"m"}`, `{"errors":[{"message":"m"}]}`},
		{"connection_error string", `"Could not verify JWT: JWTExpired"`,
			`{"errors":[{"message":"Could not verify JWT: JWTExpired"}]}`},
		{"empty", ``, `{"errors":[{"message":"unknown error"}]}`},
		{"garbage", `tru`, `{"errors":[{"message":"malformed error payload"}]}`},
		{"broken array", `[`, `{"errors":[{"message":"malformed error payload"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.JSONEq(t, tt.want, string(ErrorsPayload(json.RawMessage(tt.in))))
		})
	}
}

func TestCloseReason(t *testing.T) {
	assert.Equal(t, `{"server_error_msg":"4403: Forbidden"}`, CloseReason(4403, "Forbidden"))
	assert.Equal(t, "Forbidden", ServerErrorMessage(CloseReason(4403, "Forbidden")))
	assert.Equal(t, "plain", ServerErrorMessage("plain"))
	assert.Equal(t, "no code", ServerErrorMessage(`{"server_error_msg":"no code"}`))

	code, ok := ServerErrorCode(CloseReason(4400, "start received before the connection is initialised"))
	assert.True(t, ok)
	assert.Equal(t, 4400, code)
	_, ok = ServerErrorCode("plain")
	assert.False(t, ok)
	_, ok = ServerErrorCode(`{"server_error_msg":"no code"}`)
	assert.False(t, ok)

	long := CloseReason(4400, "Connection initialization failed: "+strings.Repeat("é", 200))
	assert.LessOrEqual(t, len(long), 123)
	assert.True(t, json.Valid([]byte(long)), long)
	assert.True(t, strings.HasPrefix(ServerErrorMessage(long), "Connection initialization failed: é"))
}

func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"type":"next","id":"1","payload":{"data":null}}`,
		`{"type":"ping"}`, `{"id":2}`, `[]`, `"x"`, `{"type":"error","id":"1","payload":[{"message":"m"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		if m.Type == "" {
			t.Fatal("decoded a message without type")
		}
		again, err := Decode(Encode(m))
		if err != nil || again.Type != m.Type || again.ID != m.ID {
			t.Fatalf("round trip of %q: %+v, %v", data, again, err)
		}
		if !json.Valid(ErrorsPayload(m.Payload)) {
			t.Fatalf("ErrorsPayload(%q) is not JSON", m.Payload)
		}
	})
}
