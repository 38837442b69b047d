package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/cases"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// actorOf names the key for the audit trail.
func actorOf(r *http.Request) audit.Actor {
	k, _ := r.Context().Value(keyContext{}).(apikeys.Key)
	return audit.Actor{Name: "api:" + k.Name}
}

// decode reads a JSON body into v; an empty body is an empty object.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return true
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		a.error(w, http.StatusRequestEntityTooLarge, "api.body_too_large")
	case err != nil:
		a.error(w, http.StatusBadRequest, "api.bad_json", textnorm.StripHostile(err.Error()))
	default:
		textnorm.StripHostileIn(v)
		return true
	}
	return false
}

type caseRequest struct {
	StaffID        int64  `json:"staff_id"`
	ItemID         int64  `json:"item_id"`
	Matter         string `json:"matter"`
	RecipientName  string `json:"recipient_name"`
	RecipientPhone string `json:"recipient_phone"`
	Channel        string `json:"channel"`
	Notes          string `json:"notes"`
	// The queue machine's ticket: RFC 3339, or "2026-11-27 09:30:15" in
	// the unit's zone.
	TicketNo   string `json:"ticket_no"`
	TicketAt   string `json:"ticket_at"`
	CalledAt   string `json:"called_at"`
	FinishedAt string `json:"finished_at"`
}

// ticket reads the request's queue ticket; a time it cannot read is a
// problem of its field.
func (a *API) ticket(ctx context.Context, unitID int64, in caseRequest) (cases.Ticket, error) {
	t := cases.Ticket{TicketNo: in.TicketNo}
	if in.TicketAt == "" && in.CalledAt == "" && in.FinishedAt == "" {
		return t, nil
	}
	unit, err := a.org.Unit(ctx, unitID)
	if err != nil {
		return t, err
	}
	loc := org.Location(unit.Timezone)
	var ps locale.Problems
	for _, f := range []struct {
		field, v string
		dst      **time.Time
	}{{"ticket_at", in.TicketAt, &t.TicketAt}, {"called_at", in.CalledAt, &t.CalledAt}, {"finished_at", in.FinishedAt, &t.FinishedAt}} {
		if f.v == "" {
			continue
		}
		at, ok := parseInstant(f.v, loc)
		if !ok {
			ps.Add(f.field, "case.ticket_time_invalid")
			continue
		}
		*f.dst = &at
	}
	if len(ps) > 0 {
		return t, ps
	}
	return t, nil
}

// parseInstant reads RFC 3339 or a local time in loc, to the second.
func parseInstant(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// caseCreate: POST /api/v1/cases, from a queue machine or another system.
// The answer carries the case's id and its rating token.
func (a *API) caseCreate(w http.ResponseWriter, r *http.Request) {
	var in caseRequest
	if !a.decode(w, r, &in) {
		return
	}
	if in.StaffID <= 0 {
		a.error(w, http.StatusBadRequest, "api.staff_required")
		return
	}
	reg := cases.Registration{FirstContactID: in.StaffID, ItemID: in.ItemID,
		Matter: in.Matter, RecipientName: in.RecipientName, RecipientPhone: in.RecipientPhone, Channel: in.Channel, Notes: in.Notes}
	var err error
	if reg.Ticket, err = a.ticket(r.Context(), unitOf(r), in); err != nil {
		a.fail(w, r, err)
		return
	}
	if key := strings.TrimSpace(r.Header.Get("Idempotency-Key")); key != "" {
		if len(key) > 64 {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", "Idempotency-Key")
			return
		}
		k, _ := r.Context().Value(keyContext{}).(apikeys.Key)
		reg.RequestKey = "api:" + strconv.FormatInt(k.ID, 10) + ":" + key
	}
	c, err := a.cases.Register(r.Context(), actorOf(r), cases.Machine, unitOf(r), reg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d", c.ID))
	a.caseShowWith(w, r, http.StatusCreated, c.ID)
}

// caseShow: GET /api/v1/cases/{id}, with its deadline, timeline and notices.
func (a *API) caseShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	a.caseShowWith(w, r, http.StatusOK, id)
}

func (a *API) caseShowWith(w http.ResponseWriter, r *http.Request, status int, id int64) {
	c, events, notices, err := a.cases.Get(r.Context(), unitOf(r), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if events == nil {
		events = []cases.Event{}
	}
	if notices == nil {
		notices = []cases.Notice{}
	}
	a.json(w, status, struct {
		cases.Case
		Timeline []cases.Event  `json:"timeline"`
		Notices  []cases.Notice `json:"notices"`
	}{c, events, notices})
}

// caseList: GET /api/v1/cases?status=&window_id=&staff_id=&signal=&limit=&offset=
// Phones are masked in lists; the case itself shows them.
func (a *API) caseList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := cases.Filter{State: q.Get("status"), Signal: q.Get("signal"), Limit: defaultLimit}
	if f.State != "" && !slices.Contains(cases.States, f.State) {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "status")
		return
	}
	if f.Signal != "" && f.Signal != cases.SignalRed && f.Signal != cases.SignalYellow {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "signal")
		return
	}
	var ok bool
	if f.DepartmentID, ok = queryID(r, "window_id"); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "window_id")
		return
	}
	if f.StaffID, ok = queryID(r, "staff_id"); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "staff_id")
		return
	}
	if f.Limit, f.Offset, ok = a.queryPage(w, r, defaultLimit, 500); !ok {
		return
	}
	list, total, err := a.cases.List(r.Context(), unitOf(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for i := range list {
		list[i].RecipientPhone = textnorm.MaskPhone(list[i].RecipientPhone)
	}
	if list == nil {
		list = []cases.Case{}
	}
	a.json(w, http.StatusOK, map[string]any{"total": total, "limit": f.Limit, "offset": f.Offset, "cases": list})
}

type stepRequest struct {
	AcceptedAt    string `json:"accepted_at"` // RFC 3339, or "2026-11-27 09:30" in the unit's zone
	TimeLimitDays *int   `json:"time_limit_days"`
	Note          string `json:"note"`
	Reason        string `json:"reason"`
	ToStaffID     int64  `json:"to_staff_id"`
}

// caseStep: POST /api/v1/cases/{id}/accept|complete|refer|withdraw.
func (a *API) caseStep(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	var in stepRequest
	if !a.decode(w, r, &in) {
		return
	}
	ctx, actor, unitID := r.Context(), actorOf(r), unitOf(r)
	switch r.PathValue("step") {
	case "accept":
		at := in.AcceptedAt
		if t, perr := time.Parse(time.RFC3339, at); perr == nil {
			unit, uerr := a.org.Unit(ctx, unitID)
			if uerr != nil {
				a.fail(w, r, uerr)
				return
			}
			at = t.In(org.Location(unit.Timezone)).Format("2006-01-02 15:04")
		}
		err = a.cases.Accept(ctx, actor, cases.Machine, unitID, id, cases.Acceptance{At: at, LimitDays: in.TimeLimitDays})
	case "complete":
		err = a.cases.Complete(ctx, actor, cases.Machine, unitID, id, in.Note)
	case "refer":
		err = a.cases.Refer(ctx, actor, cases.Machine, unitID, id, in.ToStaffID, in.Reason)
	case "withdraw":
		err = a.cases.Withdraw(ctx, actor, cases.Machine, unitID, id, in.Reason)
	default:
		a.error(w, http.StatusNotFound, "api.no_such_endpoint")
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.caseShowWith(w, r, http.StatusOK, id)
}
