package fakeclerk

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paging of GET /v1/jwt_templates, as Clerk's spec sets it for list
// endpoints: limit defaults to 10 and goes from 1 to 500, offset from 0.
const (
	defaultListLimit = 10
	maxListLimit     = 500
)

// templateJSON is clerk.JWTTemplate on the wire; times are Unix
// milliseconds.
type templateJSON struct {
	Object           string          `json:"object"`
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Claims           json.RawMessage `json:"claims"`
	Lifetime         int64           `json:"lifetime"`
	AllowedClockSkew int64           `json:"allowed_clock_skew"`
	CustomSigningKey bool            `json:"custom_signing_key"`
	SigningAlgorithm string          `json:"signing_algorithm"`
	CreatedAt        int64           `json:"created_at"`
	UpdatedAt        int64           `json:"updated_at"`
}

// templateListJSON is clerk.JWTTemplateList on the wire: the answer when
// paginated=true is asked for.
type templateListJSON struct {
	Data       []templateJSON `json:"data"`
	TotalCount int            `json:"total_count"`
}

// handleListTemplates answers GET /v1/jwt_templates: the templates in name
// order, one page of them; a bare array, or with paginated=true the page
// and the total count.
func (s *Server) handleListTemplates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := s.pageParam(w, q, "limit", defaultListLimit, 1, maxListLimit)
	if !ok {
		return
	}
	offset, ok := s.pageParam(w, q, "offset", 0, 0, -1)
	if !ok {
		return
	}
	s.mu.RLock()
	all := make([]templateJSON, 0, len(s.templates))
	for name, c := range s.templates {
		all = append(all, c.json(name))
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b templateJSON) int { return strings.Compare(a.Name, b.Name) })
	start := min(offset, len(all))
	page := all[start : start+min(limit, len(all)-start)]
	s.stats.templateLists.Add(1)
	if q.Get("paginated") == "true" {
		writeJSON(w, http.StatusOK, templateListJSON{Data: page, TotalCount: len(all)})
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// pageParam reads the integer query parameter name, def when absent, and
// answers Clerk's 422 for a value that is not an integer within [lo, hi]
// (hi < 0: no upper bound).
func (s *Server) pageParam(w http.ResponseWriter, q url.Values, name string, def, lo, hi int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || hi >= 0 && n > hi {
		s.stats.badRequests.Add(1)
		writeError(w, http.StatusUnprocessableEntity, paramInvalid(name, name+" is invalid."))
		return 0, false
	}
	return n, true
}

func (c *compiledTemplate) json(name string) templateJSON {
	return templateJSON{
		Object:           "jwt_template",
		ID:               c.id,
		Name:             name,
		Claims:           c.claims,
		Lifetime:         int64(c.lifetime.Seconds()),
		AllowedClockSkew: int64(c.skew.Seconds()),
		SigningAlgorithm: "RS256",
		CreatedAt:        c.created.UnixMilli(),
		UpdatedAt:        c.updated.UnixMilli(),
	}
}
