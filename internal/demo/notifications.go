package demo

import (
	"strconv"
	"strings"

	"wuliang/internal/activities"
	"wuliang/internal/cases"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/notifications"
)

// settleNotifications has everyone read what they were told of and has
// since been dealt with, as people at work do: what stays unread is what
// still waits — an open case, a claim to review, a session to come, a
// round still open. Two months of history otherwise leave a secretary
// with nearly two hundred stale messages.
func (c *counter) settleNotifications() error {
	store := notifications.NewStore(c.db)
	list, err := store.Unsettled(c.ctx, c.unitID)
	if err != nil {
		return err
	}
	var done []int64
	for _, n := range list {
		open, err := c.stillOpen(n.Link)
		if err != nil {
			return err
		}
		if !open {
			done = append(done, n.ID)
		}
	}
	return store.MarkReadAt(c.ctx, c.unitID, done, c.now)
}

// stillOpen tells whether the matter a notification links to still waits.
func (c *counter) stillOpen(link string) (bool, error) {
	kind, rest, _ := strings.Cut(strings.TrimPrefix(link, "/"), "/")
	sub, tail, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(tail, 10, 64)
	if kind != "activities" {
		id, err = strconv.ParseInt(sub, 10, 64)
	}
	if err != nil {
		return false, nil
	}
	switch {
	case kind == "cases":
		cs, _, _, err := cases.NewStore(c.db).Get(c.ctx, c.unitID, id)
		return err == nil && cs.Open(), nil
	case kind == "activities" && sub == "claims":
		cl, err := activities.NewStore(c.db).Claim(c.ctx, c.unitID, id)
		return err == nil && cl.State == activities.ClaimPending, nil
	case kind == "activities" && sub == "sessions":
		x, err := activities.NewStore(c.db).Session(c.ctx, c.unitID, id)
		return err == nil && x.StartsAt.After(c.now), nil
	case kind == "five-appraisals":
		r, err := fiveappraisal.NewStore(c.db).Get(c.ctx, c.unitID, id)
		return err == nil && !r.Closed(), nil
	}
	return false, nil
}
