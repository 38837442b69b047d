// Package stores builds, once per process, the store of every domain
// package on one database, for the surfaces that serve them (the pages and
// the JSON API) to share. It owns the one thing among them that runs on
// its own: the group-commit writer of ratings, which Close stops.
package stores

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/apikeys"
	"wuliang/internal/appraisal"
	"wuliang/internal/attendance"
	"wuliang/internal/calendar"
	"wuliang/internal/cases"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/events"
	"wuliang/internal/feedback"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/followup"
	"wuliang/internal/hall"
	"wuliang/internal/honours"
	"wuliang/internal/items"
	"wuliang/internal/notifications"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/report"
	"wuliang/internal/reviews"
	"wuliang/internal/scoring"
	"wuliang/internal/supervision"
	"wuliang/internal/todo"
)

// Set is the stores of one database.
type Set struct {
	DB             *database.DB
	Org            *org.Store
	Accounts       *accounts.Store
	Keys           *apikeys.Store
	Items          *items.Store
	Commitments    *commitments.Store
	Calendar       *calendar.Store
	Cases          *cases.Store
	Attendance     *attendance.Store
	Accountability *accountability.Store
	Efficiency     *efficiency.Store
	Notifications  *notifications.Store
	Ratings        *ratings.Store
	Rectifications *rectification.Store
	Feedback       *feedback.Store
	Appraisals     *appraisal.Store
	Supervision    *supervision.Store
	Reviews        *reviews.Store
	FiveAppraisal  *fiveappraisal.Store
	Activities     *activities.Store
	Schemes        *scoring.Store
	Honours        *honours.Store
	Followup       *followup.Store
	Hall           *hall.Store
	Todo           todo.Sources
	Reports        *report.Store
	// Events tells the open hall screens, of this server and the others
	// on the same PostgreSQL database, that a public fact changed.
	Events *events.Bus
	// Scoring scores a period from the fact stores above, with the scheme
	// in force.
	Scoring scoring.Scorer
}

// New builds every store on db. Close it when the process is done.
func New(db *database.DB) *Set {
	rated := ratings.NewStore(db)
	set := &Set{
		DB: db, Org: org.NewStore(db), Accounts: accounts.NewStore(db), Keys: apikeys.NewStore(db), Items: items.NewStore(db),
		Commitments: commitments.NewStore(db), Calendar: calendar.NewStore(db), Cases: cases.NewStore(db), Attendance: attendance.NewStore(db),
		Accountability: accountability.NewStore(db), Efficiency: efficiency.NewStore(db), Notifications: notifications.NewStore(db),
		Ratings: rated, Rectifications: rectification.NewStore(db, rated), Feedback: feedback.NewStore(db), Appraisals: appraisal.NewStore(db),
		Supervision: supervision.NewStore(db), Reviews: reviews.NewStore(db), FiveAppraisal: fiveappraisal.NewStore(db),
		Activities: activities.NewStore(db), Schemes: scoring.NewStore(db),
	}
	set.Honours = honours.NewStore(db, set.Schemes, set.Org)
	set.Followup = followup.NewStore(db)
	set.Hall = hall.NewStore(db)
	set.Todo = todo.Sources{Cases: set.Cases, Rectifications: set.Rectifications, Followup: set.Followup, Commitments: set.Commitments,
		Activities: set.Activities, Feedback: set.Feedback, Reviews: set.Reviews, Five: set.FiveAppraisal, Appraisals: set.Appraisals,
		Org: set.Org, Accounts: set.Accounts, DB: db}
	set.Reports = report.NewStore(db, report.Sources{Efficiency: set.Efficiency, Ratings: set.Ratings, Feedback: set.Feedback,
		Reviews: set.Reviews, Five: set.FiveAppraisal, Activities: set.Activities, Accountability: set.Accountability,
		Commitments: set.Commitments, Honours: set.Honours, Scores: set.Schemes})
	set.Events = events.New(db, slog.Default())
	rated.OnStored(func(unitID int64, r ratings.Rating) {
		// What the portal shows of a rating: its window and its level.
		data, _ := json.Marshal(map[string]any{"window": r.DepartmentID, "level": r.Level})
		set.Events.Publish(events.Event{Unit: unitID, Kind: events.Rating, Ref: r.ID, Data: data, At: r.CreatedAt})
	})
	outcomes := func(ctx context.Context, unitID int64, from, to time.Time) (map[int64]rectification.Outcome, error) {
		return rectification.RatingOutcomes(ctx, db, unitID, from, to)
	}
	set.Scoring = scoring.Scorer{Schemes: set.Schemes, Org: set.Org, Sources: []scoring.Source{
		scoring.RatingSource{Ratings: set.Ratings, Outcomes: outcomes}, scoring.EfficiencySource{Reports: set.Efficiency},
		scoring.AttendanceSource{Checks: set.Attendance}, scoring.AccountabilitySource{Records: set.Accountability},
		scoring.ReviewSource{Meetings: set.Reviews}, scoring.FiveSource{Rounds: set.FiveAppraisal},
		scoring.AppraisalSource{Rounds: set.Appraisals}, scoring.ActivitySource{Points: set.Activities},
		scoring.CommitmentSource{Commitments: set.Commitments}, scoring.FeedbackSource{Messages: set.Feedback},
		scoring.SupervisionSource{Observations: set.Supervision},
	}}
	return set
}

// Close stops the rating writer once every rating handed to it is stored,
// then the events (ending every screen's stream); the database stays open,
// its owner closes it.
func (s *Set) Close() {
	s.Ratings.Close()
	s.Events.Close()
}
