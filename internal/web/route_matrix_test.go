package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"wuliang/internal/sitetest"
	"wuliang/internal/web"
)

// Who may reach each access class, by role, as the plan sets it out.
var mayReach = map[string][]string{
	"public":    {"", "unit_admin", "branch_secretary", "window_lead", "staff", "supervisor", "system_admin"},
	"anyone":    {"unit_admin", "branch_secretary", "window_lead", "staff", "supervisor"},
	"observers": {"unit_admin", "window_lead", "supervisor"},
	"loggedIn":  {"unit_admin", "branch_secretary", "window_lead", "staff"},
	"managers":  {"unit_admin", "branch_secretary", "window_lead"},
	"admins":    {"unit_admin"},
	"sysAdmins": {"system_admin"},
}

// narrower are the routes whose handler refuses some of the roles the
// route lets through, by a rule of the domain, with that rule.
var narrower = map[string][]string{
	"POST /login":                 {"", "unit_admin", "branch_secretary", "window_lead", "staff", "supervisor", "system_admin"}, // a wrong password is 401, then the login limit's 429
	"POST /observations":          {"unit_admin", "window_lead"},                                                                // only a public supervisor files an observation
	"POST /activities/sessions":   {"window_lead"},                                                                              // the office and branches organise study
	"POST /exemplars/{id}/move":   {"branch_secretary", "window_lead"},                                                          // only the office moves a story on
	"GET /followup/branch-plans":  {"window_lead"},                                                                              // a branch's plans are the branch's and the office's
	"POST /followup/branch-plans": {"branch_secretary", "window_lead"},                                                          // the secretary of a branch with a plan due; the demo's has none
}

// The demo's accounts the matrix tries, by role; hospital-admin is
// another unit's office, tried on the centre's own rows.
var matrixUsers = map[string]string{"": "", "center-admin": "unit_admin", "center-secretary": "branch_secretary", "center-lead": "window_lead",
	"center-staff": "staff", "center-supervisor": "supervisor", "admin": "system_admin"}

// The table each /prefix/{id} names, for the centre's real rows.
var rowsOf = []struct{ prefix, table string }{
	{"/screens/notices/", "hall_notices"}, {"/five-appraisals/", "five_rounds"}, {"/commitments/", "commitments"}, {"/staff/", "staff"},
	{"/honours/selections/", "honour_selections"}, {"/honours/awards/", "honours"}, {"/honours/kinds/", "honour_kinds"}, {"/appraisals/", "appraisal_rounds"},
	{"/activities/sessions/", "study_sessions"}, {"/activities/contests/", "contests"}, {"/activities/claims/", "activity_claims"},
	{"/activities/points/", "point_entries"}, {"/activities/kinds/", "activity_kinds"}, {"/items/", "items"}, {"/cases/", "cases"},
	{"/users/", "users"}, {"/reviews/", "review_meetings"}, {"/reports/", "leader_reports"}, {"/observations/", "observations"},
	{"/followup/plans/", "improvement_plans"}, {"/followup/branch-plans/", "branch_plans"}, {"/followup/visits/", "visits"},
	{"/followup/steps/", "followup_steps"}, {"/exemplars/photos/", "exemplar_photos"}, {"/exemplars/", "exemplars"}, {"/departments/", "departments"},
	{"/branches/", "branches"}, {"/screens/", "screens"}, {"/rectifications/", "rectifications"}, {"/ratings/", "ratings"},
	{"/fulfilments/", "fulfilments"}, {"/feedback/", "feedback"}, {"/accountability/", "accountability"}, {"/whereabouts/", "whereabouts"},
	{"/spot-checks/", "spot_checks"}, {"/rankings/people/", "staff"}, {"/print/items/", "items"}, {"/print/desksign/window/", "departments"},
	{"/print/desksign/staff/", "staff"}, {"/leading-group/", "leading_group"}, {"/calendar/", "calendar_days"}, {"/apikeys/", "api_keys"},
}

// concrete fills a pattern's wildcards: the demo centre, and id for {id}.
func concrete(pattern, id string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	return method, strings.NewReplacer("{$}", "", "{unit}", "demo-center", "{id}", id, "{token}", "x", "{action}", "x", "{part}", "self",
		"{level}", "people", "{target}", "x", "{notice}", "1").Replace(path)
}

// Every route of the table, as a guest, each role of the centre, a system
// administrator, and the hospital's office on the centre's rows: the
// status the access rule gives, never a 500. A route without a line in
// routeMatrix, or with another access than agreed, fails.
func TestRouteMatrix(t *testing.T) {
	s := sitetest.SQLite(t)
	w, err := web.New(s.Stores, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w.Handler(nil)
	routes := w.Routes()
	for _, r := range routes {
		if want, ok := routeMatrix[r.Pattern]; !ok {
			t.Errorf("route %s (%s) has no line in routeMatrix", r.Pattern, r.Access)
		} else if want != r.Access {
			t.Errorf("route %s is reachable by %s, the matrix agreed %s", r.Pattern, r.Access, want)
		}
	}
	if len(routes) != len(routeMatrix) {
		t.Errorf("%d routes, %d lines in the matrix", len(routes), len(routeMatrix))
	}
	send := func(c *http.Client, method, path string) sitetest.Response {
		if method == "POST" {
			return s.Post(c, path, url.Values{})
		}
		return s.Get(c, path)
	}
	center := s.Units["demo-center"].ID
	crossed := 0
	for _, r := range routes {
		method, path := concrete(r.Pattern, "999999999")
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "app.css"
		}
		for user, role := range matrixUsers {
			if r.Pattern == "POST /logout" && user != "" {
				continue // it would end the session the rest of the matrix uses
			}
			res := send(s.As(user), method, path)
			allowed := slices.Contains(mayReach[r.Access], role)
			where := fmt.Sprintf("%s as %q: %d", r.Pattern, user, res.Status)
			switch {
			case res.Status >= 500:
				t.Errorf("%s\n%s", where, sitetest.Snippet(res.Body))
			case allowed && slices.Contains(narrower[r.Pattern], role):
				if res.Status != 401 && res.Status != 403 && res.Status != 429 {
					t.Errorf("%s, want the handler's refusal", where)
				}
			case allowed && (res.Status == 401 || res.Status == 403):
				t.Errorf("%s, but %s may reach it", where, role)
			case allowed:
			case user == "" && method == "GET":
				if res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("%s, want the login page", where)
				}
			case user == "":
				if res.Status != 401 {
					t.Errorf("%s, want 401", where)
				}
			case role == "system_admin":
				if res.Status != 303 || res.Header.Get("Location") != "/admin/units" {
					t.Errorf("%s, want the units' list (a system administrator acts in no unit)", where)
				}
			default:
				if res.Status != 403 {
					t.Errorf("%s, want 403", where)
				}
			}
		}
		// Another unit's office on the centre's own row: refused or not
		// found, never shown or changed.
		if !strings.Contains(r.Pattern, "{id}") || !slices.Contains(mayReach[r.Access], "unit_admin") || strings.Contains(r.Pattern, "/p/{unit}") {
			continue
		}
		for _, x := range rowsOf {
			if !strings.Contains(r.Pattern, " "+x.prefix+"{id}") {
				continue
			}
			var id int64
			s.DB.QueryRowContext(t.Context(), `SELECT COALESCE(min(id), 0) FROM `+x.table+` WHERE unit_id = $1`, center).Scan(&id)
			if id == 0 {
				break
			}
			method, path := concrete(r.Pattern, fmt.Sprint(id))
			res := send(s.As("hospital-admin"), method, path)
			crossed++
			if res.Status < 400 || res.Status >= 500 {
				t.Errorf("%s with the centre's %s %d as the hospital's office: %d\n%s", r.Pattern, x.table, id, res.Status, sitetest.Snippet(res.Body))
			}
			break
		}
	}
	t.Logf("%d routes × %d accounts, and %d routes on another unit's rows", len(routes), len(matrixUsers), crossed)
}

// routeMatrix is who may reach each route, as agreed: a route added to the
// table without a line here, or with another access, fails TestRouteMatrix.
var routeMatrix = map[string]string{
	"GET /healthz":                              "public",
	"GET /static/":                              "public",
	"GET /p/{unit}":                             "public",
	"GET /p/{unit}/search":                      "public",
	"GET /p/{unit}/windows/{id}":                "public",
	"GET /p/{unit}/staff/{id}":                  "public",
	"GET /p/{unit}/staff/{id}/photo":            "public",
	"GET /p/{unit}/items/{id}":                  "public",
	"GET /p/{unit}/board/{id}":                  "public",
	"GET /p/{unit}/efficiency":                  "public",
	"GET /p/{unit}/ratings":                     "public",
	"GET /p/{unit}/feedback":                    "public",
	"POST /p/{unit}/feedback":                   "public",
	"GET /p/{unit}/feedback/track":              "public",
	"GET /r/{token}":                            "public",
	"GET /a/{token}":                            "public",
	"POST /a/{token}":                           "public",
	"GET /p/{unit}/appraisals/{id}":             "public",
	"GET /p/{unit}/reviews":                     "public",
	"GET /p/{unit}/scores":                      "public",
	"GET /p/{unit}/five-appraisals/{id}":        "public",
	"GET /p/{unit}/honours":                     "public",
	"GET /p/{unit}/publicity":                   "public",
	"POST /p/{unit}/publicity":                  "public",
	"GET /p/{unit}/honours/{id}/vote":           "public",
	"POST /p/{unit}/honours/{id}/vote":          "public",
	"GET /p/{unit}/exemplars":                   "public",
	"GET /p/{unit}/exemplars/{id}":              "public",
	"GET /p/{unit}/exemplars/photos/{id}":       "public",
	"POST /r/{token}":                           "public",
	"GET /s/{token}":                            "public",
	"GET /s/{token}/events":                     "public",
	"GET /p/{unit}/staff/{id}/rate":             "public",
	"POST /p/{unit}/staff/{id}/rate":            "public",
	"GET /p/{unit}/windows/{id}/rate":           "public",
	"POST /p/{unit}/windows/{id}/rate":          "public",
	"GET /login":                                "public",
	"POST /login":                               "public",
	"POST /logout":                              "public",
	"GET /{$}":                                  "anyone",
	"GET /me":                                   "loggedIn",
	"GET /account/password":                     "anyone",
	"POST /account/password":                    "anyone",
	"GET /staff":                                "managers",
	"GET /staff/{id}":                           "loggedIn",
	"GET /staff/{id}/photo":                     "loggedIn",
	"GET /windows":                              "loggedIn",
	"GET /items":                                "loggedIn",
	"GET /items/export.xlsx":                    "loggedIn",
	"GET /items/{id}":                           "loggedIn",
	"GET /commitments":                          "loggedIn",
	"GET /commitments/new":                      "loggedIn",
	"POST /commitments":                         "loggedIn",
	"GET /commitments/{id}":                     "loggedIn",
	"GET /commitments/{id}/edit":                "loggedIn",
	"POST /commitments/{id}":                    "loggedIn",
	"POST /commitments/{id}/submit":             "loggedIn",
	"POST /commitments/{id}/approve":            "loggedIn",
	"POST /commitments/{id}/return":             "loggedIn",
	"POST /commitments/{id}/close":              "loggedIn",
	"POST /commitments/{id}/fulfilments":        "loggedIn",
	"POST /fulfilments/{id}/review":             "loggedIn",
	"GET /fulfilments/{id}/file":                "loggedIn",
	"GET /cases":                                "loggedIn",
	"GET /cases/new":                            "loggedIn",
	"POST /cases":                               "loggedIn",
	"GET /cases/{id}":                           "loggedIn",
	"GET /cases/{id}/receipt":                   "loggedIn",
	"POST /cases/{id}/{action}":                 "loggedIn",
	"GET /cases/{id}/notices/{notice}":          "loggedIn",
	"GET /status":                               "loggedIn",
	"GET /whereabouts":                          "loggedIn",
	"POST /whereabouts":                         "loggedIn",
	"POST /whereabouts/{id}/back":               "loggedIn",
	"GET /efficiency":                           "loggedIn",
	"GET /efficiency.xlsx":                      "loggedIn",
	"GET /accountability":                       "loggedIn",
	"GET /accountability/{id}":                  "loggedIn",
	"POST /accountability/{id}/decide":          "admins",
	"GET /ratings":                              "loggedIn",
	"POST /ratings/settings":                    "admins",
	"POST /ratings/reasons":                     "admins",
	"POST /ratings/{id}/publish":                "admins",
	"GET /ratings/held":                         "admins",
	"POST /ratings/{id}/review":                 "admins",
	"GET /ratings/export.xlsx":                  "admins",
	"GET /ratings/export.json":                  "admins",
	"GET /feedback":                             "admins",
	"GET /feedback/{id}":                        "admins",
	"POST /feedback/{id}":                       "admins",
	"GET /appraisals":                           "admins",
	"GET /appraisals/new":                       "admins",
	"POST /appraisals":                          "admins",
	"GET /appraisals/{id}":                      "admins",
	"POST /appraisals/{id}/invites":             "admins",
	"GET /appraisals/{id}/invites/print":        "admins",
	"GET /appraisals/{id}/invites.csv":          "admins",
	"POST /appraisals/{id}/{action}":            "admins",
	"GET /observations":                         "observers",
	"POST /observations":                        "observers",
	"GET /observations/{id}":                    "observers",
	"GET /observations/{id}/photo":              "observers",
	"POST /observations/{id}/rectify":           "admins",
	"GET /reviews":                              "loggedIn",
	"POST /reviews":                             "managers",
	"POST /reviews/settings":                    "admins",
	"GET /reviews/{id}":                         "managers",
	"POST /reviews/{id}":                        "managers",
	"POST /reviews/{id}/publish":                "managers",
	"GET /five-appraisals":                      "loggedIn",
	"GET /five-appraisals/new":                  "admins",
	"POST /five-appraisals":                     "admins",
	"GET /five-appraisals/{id}":                 "loggedIn",
	"POST /five-appraisals/{id}/give/{part}":    "loggedIn",
	"POST /five-appraisals/{id}/peer":           "loggedIn",
	"POST /five-appraisals/{id}/public":         "admins",
	"POST /five-appraisals/{id}/people":         "admins",
	"GET /five-appraisals/{id}/people/{target}": "admins",
	"POST /five-appraisals/{id}/remind":         "admins",
	"POST /five-appraisals/{id}/close":          "admins",
	"POST /five-appraisals/{id}/confirm":        "managers",
	"POST /five-appraisals/{id}/override":       "admins",
	"POST /five-appraisals/{id}/plan":           "managers",
	"POST /five-appraisals/{id}/publish":        "admins",
	"GET /five-appraisals/{id}/results.xlsx":    "admins",
	"GET /five-appraisals/{id}/print":           "admins",
	"GET /activities":                           "loggedIn",
	"POST /activities/claims":                   "loggedIn",
	"GET /activities/claims/{id}":               "loggedIn",
	"GET /activities/claims/{id}/file":          "loggedIn",
	"POST /activities/claims/{id}/review":       "managers",
	"POST /activities/claims/{id}/result":       "managers",
	"GET /activities/sessions":                  "loggedIn",
	"POST /activities/sessions":                 "managers",
	"GET /activities/sessions/{id}":             "loggedIn",
	"GET /activities/sessions/{id}/check-in":    "loggedIn",
	"POST /activities/sessions/{id}/check-in":   "loggedIn",
	"POST /activities/sessions/{id}/mark":       "managers",
	"POST /activities/sessions/{id}/close":      "managers",
	"GET /activities/contests":                  "admins",
	"POST /activities/contests":                 "admins",
	"GET /activities/contests/{id}":             "loggedIn",
	"POST /activities/contests/{id}/enter":      "admins",
	"POST /activities/contests/{id}/scores":     "admins",
	"POST /activities/contests/{id}/publish":    "admins",
	"GET /activities/kinds":                     "admins",
	"POST /activities/kinds":                    "admins",
	"POST /activities/kinds/{id}":               "admins",
	"POST /activities/settings":                 "admins",
	"GET /activities/register.xlsx":             "admins",
	"POST /activities/points/{id}/reverse":      "admins",
	"GET /rankings":                             "loggedIn",
	"GET /rankings.xlsx":                        "loggedIn",
	"GET /rankings/people/{id}":                 "loggedIn",
	"GET /scores":                               "loggedIn",
	"GET /scores.xlsx":                          "admins",
	"POST /scores/freeze":                       "admins",
	"POST /scores/publish":                      "admins",
	"GET /scores/scheme":                        "admins",
	"POST /scores/scheme":                       "admins",
	"GET /scores/what-if":                       "admins",
	"GET /scores/{level}/{id}":                  "loggedIn",
	"GET /honours":                              "loggedIn",
	"GET /honours/kinds":                        "admins",
	"POST /honours/kinds":                       "admins",
	"POST /honours/kinds/{id}":                  "admins",
	"POST /honours/selections":                  "admins",
	"GET /honours/selections/{id}":              "loggedIn",
	"POST /honours/selections/{id}/nominate":    "loggedIn",
	"POST /honours/selections/{id}/vote-start":  "admins",
	"POST /honours/selections/{id}/vote":        "loggedIn",
	"POST /honours/selections/{id}/propose":     "admins",
	"POST /honours/selections/{id}/confirm":     "admins",
	"POST /honours/awards/{id}/revoke":          "admins",
	"GET /honours/awards/{id}/certificate":      "admins",
	"GET /honours/awards/{id}/plaque":           "admins",
	"GET /exemplars":                            "managers",
	"POST /exemplars":                           "managers",
	"GET /exemplars/{id}":                       "managers",
	"POST /exemplars/{id}":                      "managers",
	"POST /exemplars/{id}/move":                 "managers",
	"GET /exemplars/photos/{id}":                "loggedIn",
	"GET /todo":                                 "managers",
	"GET /reports":                              "admins",
	"POST /reports":                             "admins",
	"GET /reports/{id}":                         "admins",
	"GET /reports/{id}/print":                   "admins",
	"GET /reports/{id}/excel":                   "admins",
	"GET /followup":                             "admins",
	"POST /followup/talks":                      "admins",
	"POST /followup/plans":                      "admins",
	"GET /followup/plans/{id}":                  "loggedIn",
	"POST /followup/plans/{id}/steps":           "admins",
	"POST /followup/plans/{id}/close":           "admins",
	"POST /followup/steps/{id}/done":            "loggedIn",
	"GET /followup/branch-plans":                "managers",
	"POST /followup/branch-plans":               "managers",
	"GET /followup/branch-plans/{id}":           "managers",
	"POST /followup/branch-plans/{id}/move":     "managers",
	"POST /followup/branch-plans/{id}/measures": "managers",
	"POST /followup/visits":                     "admins",
	"GET /followup/visits/{id}":                 "managers",
	"GET /rectifications":                       "loggedIn",
	"GET /rectifications/{id}":                  "loggedIn",
	"POST /rectifications/{id}":                 "loggedIn",
	"GET /notifications":                        "anyone",
	"POST /notifications/read":                  "anyone",
	"GET /spot-checks":                          "admins",
	"GET /spot-checks/new":                      "admins",
	"POST /spot-checks":                         "admins",
	"GET /spot-checks/{id}":                     "loggedIn",
	"GET /staff/new":                            "admins",
	"POST /staff":                               "admins",
	"GET /staff/{id}/edit":                      "admins",
	"POST /staff/{id}":                          "admins",
	"POST /staff/{id}/active":                   "admins",
	"POST /staff/{id}/photo":                    "admins",
	"GET /items/new":                            "admins",
	"POST /items/import":                        "admins",
	"POST /items":                               "admins",
	"GET /items/{id}/edit":                      "admins",
	"POST /items/{id}":                          "admins",
	"POST /items/{id}/active":                   "admins",
	"GET /print/badges":                         "admins",
	"GET /print/desksign/staff/{id}":            "admins",
	"GET /print/desksign/window/{id}":           "admins",
	"GET /print/items/{id}":                     "loggedIn",
	"GET /calendar":                             "admins",
	"POST /calendar":                            "admins",
	"POST /calendar/{id}/remove":                "admins",
	"POST /calendar/hours":                      "admins",
	"GET /emblem":                               "admins",
	"POST /emblem":                              "admins",
	"GET /emblem.jpg":                           "loggedIn",
	"GET /departments":                          "admins",
	"GET /departments/new":                      "admins",
	"POST /departments":                         "admins",
	"GET /departments/{id}/edit":                "admins",
	"POST /departments/{id}":                    "admins",
	"POST /departments/{id}/active":             "admins",
	"GET /branches":                             "admins",
	"GET /branches/new":                         "admins",
	"POST /branches":                            "admins",
	"GET /branches/{id}/edit":                   "admins",
	"POST /branches/{id}":                       "admins",
	"POST /branches/{id}/active":                "admins",
	"GET /leading-group":                        "loggedIn",
	"POST /leading-group":                       "admins",
	"POST /leading-group/{id}/remove":           "admins",
	"GET /roster":                               "admins",
	"GET /roster/template.xlsx":                 "admins",
	"GET /roster/export.xlsx":                   "admins",
	"POST /roster/preview":                      "admins",
	"POST /roster/import":                       "admins",
	"GET /users":                                "admins",
	"POST /users":                               "admins",
	"POST /users/{id}/active":                   "admins",
	"POST /users/{id}/password":                 "admins",
	"POST /users/{id}/slip":                     "admins",
	"POST /users/accounts":                      "admins",
	"GET /apikeys":                              "admins",
	"POST /apikeys":                             "admins",
	"POST /apikeys/{id}/revoke":                 "admins",
	"GET /screens":                              "admins",
	"POST /screens":                             "admins",
	"POST /screens/{id}":                        "admins",
	"POST /screens/{id}/revoke":                 "admins",
	"POST /screens/notices":                     "admins",
	"POST /screens/notices/{id}/withdraw":       "admins",
	"GET /audit":                                "admins",
	"GET /audit.xlsx":                           "admins",
	"GET /admin/units":                          "sysAdmins",
	"POST /admin/units":                         "sysAdmins",
	"POST /admin/units/{id}/enter":              "sysAdmins",
}
