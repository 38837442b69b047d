// Package api serves the JSON API under /api/v1/ for machines: queue
// machines, rating devices, the hall screen and the provincial platform.
// Each request carries an API key ("Authorization: Bearer KEY") that
// belongs to one unit; everything it reads or writes is that unit's.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/activities"
	"wuliang/internal/apikeys"
	"wuliang/internal/cases"
	"wuliang/internal/commitments"
	"wuliang/internal/failure/failurehttp"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/honours"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/reviews"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
)

// API holds what the JSON handlers need.
type API struct {
	org         *org.Store
	keys        *apikeys.Store
	items       *items.Store
	commitments *commitments.Store
	cases       *cases.Store
	ratings     *ratings.Store
	reviews     *reviews.Store
	five        *fiveappraisal.Store
	activities  *activities.Store
	schemes     *scoring.Store
	honours     *honours.Store
	scoring     scoring.Scorer
	log         *slog.Logger
	printer     *locale.Printer
}

// New builds the API on the stores of one database.
func New(st *stores.Set, log *slog.Logger) *API {
	return &API{org: st.Org, keys: st.Keys, items: st.Items, commitments: st.Commitments, cases: st.Cases, ratings: st.Ratings,
		reviews: st.Reviews, five: st.FiveAppraisal, activities: st.Activities, schemes: st.Schemes, honours: st.Honours, scoring: st.Scoring, log: log, printer: locale.NewPrinter(locale.Default)}
}

// Handler lists every route of the API, each behind the key check.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern, scope string, fn http.HandlerFunc) { mux.Handle(pattern, a.authenticate(scope, fn)) }
	h("GET /api/v1/staff", apikeys.ScopeRead, a.staffList)
	h("GET /api/v1/staff/{id}", apikeys.ScopeRead, a.staffShow)
	h("GET /api/v1/staff/{id}/photo", apikeys.ScopeRead, a.staffPhoto)
	h("GET /api/v1/departments", apikeys.ScopeRead, a.departmentList)
	h("GET /api/v1/branches", apikeys.ScopeRead, a.branchList)
	h("GET /api/v1/items", apikeys.ScopeRead, a.itemList)
	h("GET /api/v1/items/{id}", apikeys.ScopeRead, a.itemShow)
	h("GET /api/v1/commitments", apikeys.ScopeRead, a.commitmentList)
	h("GET /api/v1/cases", apikeys.ScopeCases, a.caseList)
	h("POST /api/v1/cases", apikeys.ScopeCases, a.caseCreate)
	h("GET /api/v1/cases/{id}", apikeys.ScopeCases, a.caseShow)
	h("POST /api/v1/cases/{id}/{step}", apikeys.ScopeCases, a.caseStep)
	h("POST /api/v1/ratings", apikeys.ScopeDevice, a.ratingCreate)
	h("GET /api/v1/ratings", apikeys.ScopeRead, a.ratingList)
	h("GET /api/v1/reviews", apikeys.ScopeRead, a.reviewList)
	h("GET /api/v1/appraisal-rounds", apikeys.ScopeRead, a.fiveRoundList)
	h("GET /api/v1/appraisal-rounds/{id}/results", apikeys.ScopeRead, a.fiveResults)
	h("GET /api/v1/rankings", apikeys.ScopeRead, a.rankingList)
	h("GET /api/v1/scores", apikeys.ScopeRead, a.scoreList)
	h("GET /api/v1/honours", apikeys.ScopeRead, a.honourList)
	h("GET /api/v1/honours/current", apikeys.ScopeRead, a.honourCurrent)
	h("GET /api/v1/scores/{level}/{id}", apikeys.ScopeRead, a.scoreShow)
	h("GET /api/v1/exchange", apikeys.ScopeExchange, a.exchange)
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		a.error(w, http.StatusNotFound, "api.no_such_endpoint")
	})
	return mux
}

type keyContext struct{}

func unitOf(r *http.Request) int64 { return keyOf(r).UnitID }

func keyOf(r *http.Request) apikeys.Key {
	k, _ := r.Context().Value(keyContext{}).(apikeys.Key)
	return k
}

// authenticate lets a request through with a key of the unit that has the
// route's scope: a rating device's key reads nothing, a reader's key rates
// nothing.
func (a *API) authenticate(scope string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		plain, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || plain == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wuliang"`)
			a.error(w, http.StatusUnauthorized, "api.key_missing")
			return
		}
		k, err := a.keys.Authenticate(r.Context(), strings.TrimSpace(plain))
		if errors.Is(err, apikeys.ErrInvalid) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wuliang", error="invalid_token"`)
			a.error(w, http.StatusUnauthorized, "api.key_invalid")
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if !k.Has(scope) {
			a.error(w, http.StatusForbidden, "api.scope_missing", a.printer.Get("apikeys.scope."+scope))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), keyContext{}, k)))
	})
}

func (a *API) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func (a *API) error(w http.ResponseWriter, status int, key string, args ...any) {
	a.json(w, status, map[string]string{"error": a.printer.Get(key, args...)})
}

// fail maps a domain error to a status; internal detail stays in the log.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	ps, explained := locale.AsProblems(err)
	switch {
	case status == http.StatusNotFound && !explained:
		a.error(w, status, "error.not_found")
	case status == http.StatusForbidden && !explained:
		a.error(w, status, "error.forbidden")
	case explained:
		a.json(w, status, map[string]string{"error": ps.Error()})
	default:
		a.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		a.error(w, http.StatusInternalServerError, "error.internal")
	}
}

// statusOf is the status of a refusal, by its kind.
func statusOf(err error) int { return failurehttp.Status(err) }

// queryActive reads ?active=: true (the default), false, or all (nil).
func queryActive(r *http.Request) (*bool, bool) {
	var active bool
	switch r.URL.Query().Get("active") {
	case "", "true", "1":
		active = true
	case "false", "0":
	case "all":
		return nil, true
	default:
		return nil, false
	}
	return &active, true
}

// queryID reads an optional numeric query value; ok is false when it is
// present but not a positive number.
func queryID(r *http.Request, name string) (int64, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

// queryPage reads ?limit= (1 to most, def by default) and ?offset=; on a bad
// value it answers 400 and returns false.
func (a *API) queryPage(w http.ResponseWriter, r *http.Request, def, most int) (limit, offset int, ok bool) {
	q := r.URL.Query()
	limit = def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > most {
			a.error(w, http.StatusBadRequest, "api.bad_limit", most)
			return 0, 0, false
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", "offset")
			return 0, 0, false
		}
		offset = n
	}
	return limit, offset, true
}
