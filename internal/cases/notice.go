package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// NoticeInput is a one-time notice as the handler fills it in: what is
// missing and why, where to bring it, whom to ask.
type NoticeInput struct {
	Materials  []MissingMaterial
	Place      string
	Contact    string
	ReasonKind string // why a later notice asks for what the first did not list
	Reason     string
}

// MaxNoticeLines bounds a notice.
const MaxNoticeLines = 50

func (in *NoticeInput) validate() locale.Problems {
	var ps locale.Problems
	var list []MissingMaterial
	seen := map[string]bool{}
	for _, m := range in.Materials {
		m.Name, m.Why = textnorm.CleanText(m.Name), textnorm.CleanText(m.Why)
		if m.Name == "" || seen[m.Name] {
			continue
		}
		seen[m.Name] = true
		if utf8.RuneCountInString(m.Name) > org.MaxShortLen || utf8.RuneCountInString(m.Why) > 200 {
			ps.Add("materials", "case.material_too_long", textnorm.Abbreviate(m.Name, 20))
		}
		list = append(list, m)
	}
	in.Materials = list
	switch {
	case len(list) == 0:
		ps.Add("materials", "case.materials_required")
	case len(list) > MaxNoticeLines:
		ps.Add("materials", "case.materials_too_many", MaxNoticeLines)
	}
	in.Place, in.Contact, in.Reason = textnorm.CleanText(in.Place), textnorm.CleanText(in.Contact), textnorm.CleanMultiline(in.Reason)
	textnorm.CheckLength(&ps, "place", "case.notice_place", in.Place, 200, false)
	textnorm.CheckLength(&ps, "contact", "case.notice_contact", in.Contact, org.MaxShortLen, false)
	if in.ReasonKind != "" && !slices.Contains(ReasonKinds, in.ReasonKind) {
		ps.Add("reason_kind", "case.reason_kind_invalid")
	}
	if in.ReasonKind != "" && in.Reason == "" {
		ps.Add("reason", "case.notice_reason_required")
	}
	if utf8.RuneCountInString(in.Reason) > 500 {
		ps.Add("reason", "error.too_long", "理由", 500)
	}
	return ps
}

// RequestMaterials issues a numbered one-time notice of what is missing and
// sets the case waiting; after acceptance this stops the clock (补正). The
// first notice must list everything: a later one asking for a material the
// first did not list is a breach of 一次性告知 on the handler, unless the
// handler records why (a new policy, or the recipient changed the request).
func (s *Store) RequestMaterials(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, in NoticeInput) (Notice, error) {
	if ps := in.validate(); len(ps) > 0 {
		return Notice{}, ps
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return Notice{}, err
	}
	var n Notice
	err = s.step(ctx, actor, unitID, id, "notice", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if !slices.Contains([]string{StateRegistered, StateWaiting, StateAccepted}, c.State) {
			return wrongState(c)
		}
		if in.Place == "" {
			in.Place = c.DepartmentName
		}
		if in.Contact == "" {
			in.Contact = c.HandlerName
		}
		earlier, err := notices(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		n = Notice{CaseID: id, Seq: len(earlier) + 1, HandlerID: c.HandlerID, HandlerName: c.HandlerName, Materials: in.Materials,
			Place: in.Place, Contact: in.Contact, CreatedAt: now}
		if len(earlier) > 0 {
			listed := map[string]bool{}
			for _, m := range earlier[0].Materials {
				listed[m.Name] = true
			}
			for _, m := range in.Materials {
				if !listed[m.Name] {
					n.Unlisted = append(n.Unlisted, m.Name)
				}
			}
		}
		if len(n.Unlisted) > 0 {
			n.ReasonKind, n.Reason, n.Breach = in.ReasonKind, in.Reason, in.ReasonKind == ""
		}
		year := now.In(sc.Location).Format("2006")
		seq, err := database.Next(ctx, tx, unitID, "notice-"+year)
		if err != nil {
			return err
		}
		n.No = fmt.Sprintf("%s-%06d", year, seq)
		materials, _ := json.Marshal(n.Materials)
		unlisted, _ := json.Marshal(n.Unlisted)
		err = tx.QueryRowContext(ctx, `INSERT INTO case_notices (unit_id, case_id, no, seq, handler_id, materials, place, contact, unlisted,
			reason_kind, reason, breach, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			unitID, id, n.No, n.Seq, n.HandlerID, string(materials), n.Place, n.Contact, string(unlisted), n.ReasonKind, n.Reason, n.Breach, now).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("cases: insert notice: %w", err)
		}
		if c.State == StateAccepted {
			err = update(ctx, tx, c, now, `state = $1, paused_at = $2`, StateWaiting, now)
		} else {
			err = update(ctx, tx, c, now, `state = $1`, StateWaiting)
		}
		if err != nil {
			return err
		}
		names := make([]string, len(n.Materials))
		for i, m := range n.Materials {
			names[i] = m.Name
		}
		if err := event(ctx, tx, actor, unitID, id, now, "notice", c.HandlerID, printer.Get("case.event_notice", n.No, strings.Join(names, "、"))); err != nil {
			return err
		}
		if !n.Breach {
			return nil
		}
		facts := printer.Get("case.breach_facts", c.No, c.Title(), earlier[0].No, strings.Join(n.Unlisted, "、"))
		if err := event(ctx, tx, actor, unitID, id, now, "breach", c.HandlerID, facts); err != nil {
			return err
		}
		_, _, err = accountability.Open(ctx, tx, actor, unitID, c.HandlerID, accountability.RuleNoticeBreach,
			fmt.Sprintf("case:%d/notice/%d", id, n.Seq), facts, now)
		return err
	})
	return n, err
}

const noticeQuery = `SELECT n.id, n.case_id, n.no, n.seq, n.handler_id, s.name, n.materials, n.place, n.contact, n.unlisted,
	n.reason_kind, n.reason, n.breach, n.created_at
	FROM case_notices n JOIN staff s ON s.id = n.handler_id AND s.unit_id = n.unit_id`

func scanNotice(r database.Scanner) (Notice, error) {
	var n Notice
	var materials, unlisted string
	err := r.Scan(&n.ID, &n.CaseID, &n.No, &n.Seq, &n.HandlerID, &n.HandlerName, &materials, &n.Place, &n.Contact, &unlisted,
		&n.ReasonKind, &n.Reason, &n.Breach, &n.CreatedAt)
	if err == nil {
		json.Unmarshal([]byte(materials), &n.Materials)
		json.Unmarshal([]byte(unlisted), &n.Unlisted)
	}
	return n, err
}

func notices(ctx context.Context, q database.Querier, unitID, caseID int64) ([]Notice, error) {
	rows, err := q.QueryContext(ctx, noticeQuery+` WHERE n.unit_id = $1 AND n.case_id = $2 ORDER BY n.seq`, unitID, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases: notices: %w", err)
	}
	return database.Collect(rows, scanNotice)
}

// Notices lists a case's notices, the first first.
func (s *Store) Notices(ctx context.Context, unitID, caseID int64) ([]Notice, error) {
	return notices(ctx, s.db, unitID, caseID)
}

// Notice returns one notice.
func (s *Store) Notice(ctx context.Context, unitID, id int64) (Notice, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, noticeQuery+` WHERE n.unit_id = $1 AND n.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	}
	return n, err
}
