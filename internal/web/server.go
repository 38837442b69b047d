// Package web serves wuliang's HTML pages. Handlers are thin: read the
// request, ask a domain package, render. Routes and who may reach them are
// listed in routes.go.
package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"sync"

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
	"wuliang/internal/printing"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/report"
	"wuliang/internal/reviews"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
	"wuliang/internal/supervision"
	"wuliang/internal/todo"
)

// Server holds what the handlers need.
type Server struct {
	table       []Route // what routes built, for the route matrix test
	db          *database.DB
	org         *org.Store
	accounts    *accounts.Store
	keys        *apikeys.Store
	items       *items.Store
	commitments *commitments.Store
	calendar    *calendar.Store
	cases       *cases.Store
	attendance  *attendance.Store
	faults      *accountability.Store
	efficiency  *efficiency.Store
	notices     *notifications.Store
	ratings     *ratings.Store
	rectify     *rectification.Store
	feedback    *feedback.Store
	appraisals  *appraisal.Store
	supervision *supervision.Store
	reviews     *reviews.Store
	five        *fiveappraisal.Store
	activities  *activities.Store
	schemes     *scoring.Store
	scoring     scoring.Scorer
	honours     *honours.Store
	followup    *followup.Store
	todo        todo.Sources
	reports     *report.Store
	hall        *hall.Store
	events      *events.Bus
	feed        screenFeed
	log         *slog.Logger
	pages       *pages
	assets      *assets
	printer     *printing.Printer
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (clientIP); none by default.
	TrustedProxies []netip.Prefix
	// SecureCookies marks cookies Secure; set it when serving over HTTPS.
	SecureCookies bool
	// PublicURL is where the public reaches wuliang, for QR codes on badges
	// and cards; empty means the address each request came to.
	PublicURL string
}

// embeddedPages parses the embedded assets and templates once per
// process: they cannot change while it runs, and parsing a set per kind of
// unit takes a few hundred milliseconds that every test server would pay.
var embeddedPages = sync.OnceValues(func() (*pages, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	return loadPages(a)
})

// New builds the web server on the stores of one database.
func New(st *stores.Set, log *slog.Logger) (*Server, error) {
	p, err := embeddedPages()
	if err != nil {
		return nil, err
	}
	a := p.assets
	return &Server{
		db: st.DB, org: st.Org, accounts: st.Accounts, keys: st.Keys, items: st.Items, commitments: st.Commitments,
		calendar: st.Calendar, cases: st.Cases, attendance: st.Attendance, faults: st.Accountability, efficiency: st.Efficiency,
		notices: st.Notifications, ratings: st.Ratings, rectify: st.Rectifications, feedback: st.Feedback, appraisals: st.Appraisals, supervision: st.Supervision,
		reviews: st.Reviews, five: st.FiveAppraisal, activities: st.Activities,
		schemes: st.Schemes, scoring: st.Scoring, honours: st.Honours, followup: st.Followup, todo: st.Todo, reports: st.Reports,
		hall: st.Hall, events: st.Events,
		log: log, pages: p, assets: a, printer: printing.New(),
	}, nil
}

// Handler returns the whole HTTP surface: pages, assets, health and, when
// api is not nil, the JSON API under /api/v1/.
func (s *Server) Handler(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	if api != nil {
		mux.Handle("/api/v1/", api)
	}
	return s.recoverPanics(securityHeaders(s.refuseHostile(mux)))
}
