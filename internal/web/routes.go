package web

import "net/http"

// access says who may reach a route.
type access int

const (
	public    access = iota // anyone, no login
	anyone                  // any account acting in a unit, public supervisors too
	observers               // the office, window leads and public supervisors
	loggedIn                // any of the unit's own users (not public supervisors)
	managers                // unit admin, branch secretary, window lead
	admins                  // the unit's campaign office (and a system admin acting in the unit)
	sysAdmins               // system administrators only
)

// String names the access as the route matrix test states it.
func (a access) String() string {
	return [...]string{"public", "anyone", "observers", "loggedIn", "managers", "admins", "sysAdmins"}[a]
}

// Route is one entry of the route table: its pattern and who may reach it.
type Route struct {
	Pattern string
	Access  string
}

// Routes lists the route table, in the order it is built.
func (s *Server) Routes() []Route { return s.table }

// Upload limits.
const (
	formLimit   = 1 << 20  // plain forms
	uploadLimit = 25 << 20 // photos and rosters: the domain checks its own, smaller limit
	// evidenceLimit lets a claim with too big a file arrive whole (parts over
	// 8 MB wait on disk), so the form comes back with everything typed and
	// the evidence's own limit named, rather than a bare error page.
	evidenceLimit = 64 << 20
)

// routes lists every page with who may reach it. Writes are POSTs; each
// carries the CSRF token (see protect).
func (s *Server) routes(mux *http.ServeMux) {
	s.table = nil
	limited := func(pattern string, a access, limit int64, fn http.HandlerFunc) {
		mux.Handle(pattern, s.protect(a, limit, fn))
		s.table = append(s.table, Route{Pattern: pattern, Access: a.String()})
	}
	h := func(pattern string, a access, fn http.HandlerFunc) { limited(pattern, a, formLimit, fn) }
	upload := func(pattern string, a access, fn http.HandlerFunc) { limited(pattern, a, uploadLimit, fn) }

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.assets)
	s.table = append(s.table, Route{Pattern: "GET /healthz", Access: public.String()}, Route{Pattern: "GET /static/", Access: public.String()})
	// 网络平台: the public portal of a unit, no login.
	h("GET /p/{unit}", public, s.portalHome)
	h("GET /p/{unit}/search", public, s.portalSearch)
	h("GET /p/{unit}/windows/{id}", public, s.portalWindow)
	h("GET /p/{unit}/staff/{id}", public, s.portalPerson)
	h("GET /p/{unit}/staff/{id}/photo", public, s.portalPhoto)
	h("GET /p/{unit}/items/{id}", public, s.portalItem)
	h("GET /p/{unit}/board/{id}", public, s.portalBoard)
	h("GET /p/{unit}/efficiency", public, s.portalEfficiency)
	h("GET /p/{unit}/ratings", public, s.portalRatings)
	h("GET /p/{unit}/feedback", public, s.portalFeedback)
	h("POST /p/{unit}/feedback", public, s.portalFeedback)
	h("GET /p/{unit}/feedback/track", public, s.portalFeedbackTrack)
	// 好差评: rating pages for phones, no login.
	h("GET /r/{token}", public, s.rateCase)
	// 民主评议: an outside evaluator's single-use invitation.
	h("GET /a/{token}", public, s.appraisalAnswer)
	h("POST /a/{token}", public, s.appraisalAnswer)
	h("GET /p/{unit}/appraisals/{id}", public, s.portalAppraisal)
	h("GET /p/{unit}/reviews", public, s.portalReviews)
	h("GET /p/{unit}/scores", public, s.portalScores)
	h("GET /p/{unit}/five-appraisals/{id}", public, s.portalFive)
	h("GET /p/{unit}/honours", public, s.portalHonours)
	h("GET /p/{unit}/publicity", public, s.portalPublicity)
	h("POST /p/{unit}/publicity", public, s.portalPublicity)
	h("GET /p/{unit}/honours/{id}/vote", public, s.portalVote)
	h("POST /p/{unit}/honours/{id}/vote", public, s.portalVote)
	h("GET /p/{unit}/exemplars", public, s.portalExemplars)
	h("GET /p/{unit}/exemplars/{id}", public, s.portalExemplar)
	h("GET /p/{unit}/exemplars/photos/{id}", public, s.portalExemplarPhoto)
	h("POST /r/{token}", public, s.rateCase)
	// 电子显示屏: a hall screen, by the token in its URL.
	h("GET /s/{token}", public, s.screenShow)
	h("GET /s/{token}/events", public, s.screenEvents)
	h("GET /p/{unit}/staff/{id}/rate", public, s.ratePerson)
	h("POST /p/{unit}/staff/{id}/rate", public, s.ratePerson)
	h("GET /p/{unit}/windows/{id}/rate", public, s.rateWindow)
	h("POST /p/{unit}/windows/{id}/rate", public, s.rateWindow)

	h("GET /login", public, s.loginPage)
	h("POST /login", public, s.login)
	h("POST /logout", public, s.logout)

	h("GET /{$}", anyone, s.home)
	h("GET /me", loggedIn, s.me)
	h("GET /account/password", anyone, s.passwordPage)
	h("POST /account/password", anyone, s.passwordChange)

	// 亮: who serves, where.
	h("GET /staff", managers, s.staffList)
	h("GET /staff/{id}", loggedIn, s.staffShow)
	h("GET /staff/{id}/photo", loggedIn, s.staffPhoto)
	h("GET /windows", loggedIn, s.windowList)

	h("GET /items", loggedIn, s.itemList)
	h("GET /items/export.xlsx", loggedIn, s.itemsExport)
	h("GET /items/{id}", loggedIn, s.itemShow)

	// 亮承诺: commitments; each handler asks the commitments package who may.
	h("GET /commitments", loggedIn, s.commitmentList)
	h("GET /commitments/new", loggedIn, s.commitmentNew)
	h("POST /commitments", loggedIn, s.commitmentCreate)
	h("GET /commitments/{id}", loggedIn, s.commitmentShow)
	h("GET /commitments/{id}/edit", loggedIn, s.commitmentEdit)
	h("POST /commitments/{id}", loggedIn, s.commitmentUpdate)
	h("POST /commitments/{id}/submit", loggedIn, s.commitmentSubmit)
	h("POST /commitments/{id}/approve", loggedIn, s.commitmentApprove)
	h("POST /commitments/{id}/return", loggedIn, s.commitmentReturn)
	h("POST /commitments/{id}/close", loggedIn, s.commitmentClose)
	upload("POST /commitments/{id}/fulfilments", loggedIn, s.fulfilmentAdd)
	h("POST /fulfilments/{id}/review", loggedIn, s.fulfilmentReview)
	h("GET /fulfilments/{id}/file", loggedIn, s.fulfilmentFile)

	// 比: counter work and its facts; each handler asks its package who may.
	h("GET /cases", loggedIn, s.caseList)
	h("GET /cases/new", loggedIn, s.caseNew)
	h("POST /cases", loggedIn, s.caseCreate)
	h("GET /cases/{id}", loggedIn, s.caseShow)
	h("GET /cases/{id}/receipt", loggedIn, s.caseReceipt)
	h("POST /cases/{id}/{action}", loggedIn, s.caseAction)
	h("GET /cases/{id}/notices/{notice}", loggedIn, s.printNotice)
	h("GET /status", loggedIn, s.statusPage)
	h("GET /whereabouts", loggedIn, s.whereaboutsPage)
	h("POST /whereabouts", loggedIn, s.whereaboutsAdd)
	h("POST /whereabouts/{id}/back", loggedIn, s.whereaboutsBack)
	h("GET /efficiency", loggedIn, s.efficiencyPage)
	h("GET /efficiency.xlsx", loggedIn, s.efficiencyExcel)
	h("GET /accountability", loggedIn, s.accountabilityList)
	h("GET /accountability/{id}", loggedIn, s.accountabilityShow)
	h("POST /accountability/{id}/decide", admins, s.accountabilityDecide)
	h("GET /ratings", loggedIn, s.ratingList)
	h("POST /ratings/settings", admins, s.ratingSettings)
	h("POST /ratings/reasons", admins, s.ratingReasons)
	h("POST /ratings/{id}/publish", admins, s.ratingPublish)
	h("GET /ratings/held", admins, s.ratingsHeld)
	h("POST /ratings/{id}/review", admins, s.ratingReview)
	h("GET /ratings/export.xlsx", admins, s.ratingExport)
	h("GET /ratings/export.json", admins, s.ratingExport)
	h("GET /feedback", admins, s.feedbackList)
	h("GET /feedback/{id}", admins, s.feedbackShow)
	h("POST /feedback/{id}", admins, s.feedbackHandle)
	h("GET /appraisals", admins, s.appraisalList)
	h("GET /appraisals/new", admins, s.appraisalNew)
	h("POST /appraisals", admins, s.appraisalCreate)
	h("GET /appraisals/{id}", admins, s.appraisalShow)
	h("POST /appraisals/{id}/invites", admins, s.appraisalIssue)
	h("GET /appraisals/{id}/invites/print", admins, s.appraisalPrint)
	h("GET /appraisals/{id}/invites.csv", admins, s.appraisalInviteList)
	h("POST /appraisals/{id}/{action}", admins, s.appraisalMove)
	h("GET /observations", observers, s.observationList)
	upload("POST /observations", observers, s.observationFile)
	h("GET /observations/{id}", observers, s.observationShow)
	h("GET /observations/{id}/photo", observers, s.observationPhoto)
	h("POST /observations/{id}/rectify", admins, s.observationRectify)
	h("GET /reviews", loggedIn, s.reviewList)
	h("POST /reviews", managers, s.reviewOpen)
	h("POST /reviews/settings", admins, s.reviewSettings)
	h("GET /reviews/{id}", managers, s.reviewShow)
	h("POST /reviews/{id}", managers, s.reviewSave)
	h("POST /reviews/{id}/publish", managers, s.reviewPublish)
	h("GET /five-appraisals", loggedIn, s.fiveList)
	h("GET /five-appraisals/new", admins, s.fiveNew)
	h("POST /five-appraisals", admins, s.fiveCreate)
	h("GET /five-appraisals/{id}", loggedIn, s.fiveShow)
	h("POST /five-appraisals/{id}/give/{part}", loggedIn, s.fiveGive)
	h("POST /five-appraisals/{id}/peer", loggedIn, s.fivePeer)
	h("POST /five-appraisals/{id}/public", admins, s.fivePublic)
	h("POST /five-appraisals/{id}/people", admins, s.fiveAddPerson)
	h("GET /five-appraisals/{id}/people/{target}", admins, s.fivePerson)
	h("POST /five-appraisals/{id}/remind", admins, s.fiveRemind)
	h("POST /five-appraisals/{id}/close", admins, s.fiveClose)
	h("POST /five-appraisals/{id}/confirm", managers, s.fiveConfirm)
	h("POST /five-appraisals/{id}/override", admins, s.fiveOverride)
	h("POST /five-appraisals/{id}/plan", managers, s.fivePlan)
	h("POST /five-appraisals/{id}/publish", admins, s.fivePublish)
	h("GET /five-appraisals/{id}/results.xlsx", admins, s.fiveExcel)
	h("GET /five-appraisals/{id}/print", admins, s.fivePrint)
	// 五比: activities, claims, points and rankings.
	h("GET /activities", loggedIn, s.activityHome)
	limited("POST /activities/claims", loggedIn, evidenceLimit, s.claimSubmit)
	h("GET /activities/claims/{id}", loggedIn, s.claimShow)
	h("GET /activities/claims/{id}/file", loggedIn, s.claimFile)
	h("POST /activities/claims/{id}/review", managers, s.claimReview)
	h("POST /activities/claims/{id}/result", managers, s.claimResult)
	h("GET /activities/sessions", loggedIn, s.sessionList)
	h("POST /activities/sessions", managers, s.sessionCreate)
	h("GET /activities/sessions/{id}", loggedIn, s.sessionShow)
	h("GET /activities/sessions/{id}/check-in", loggedIn, s.sessionCheckIn)
	h("POST /activities/sessions/{id}/check-in", loggedIn, s.sessionCheckIn)
	h("POST /activities/sessions/{id}/mark", managers, s.sessionMark)
	h("POST /activities/sessions/{id}/close", managers, s.sessionClose)
	h("GET /activities/contests", admins, s.contestList)
	h("POST /activities/contests", admins, s.contestCreate)
	h("GET /activities/contests/{id}", loggedIn, s.contestShow)
	h("POST /activities/contests/{id}/enter", admins, s.contestEnter)
	h("POST /activities/contests/{id}/scores", admins, s.contestScore)
	h("POST /activities/contests/{id}/publish", admins, s.contestPublish)
	h("GET /activities/kinds", admins, s.kindList)
	h("POST /activities/kinds", admins, s.kindSave)
	h("POST /activities/kinds/{id}", admins, s.kindSave)
	h("POST /activities/settings", admins, s.activitySettings)
	h("GET /activities/register.xlsx", admins, s.registerExcel)
	h("POST /activities/points/{id}/reverse", admins, s.pointReverse)
	h("GET /rankings", loggedIn, s.rankingList)
	h("GET /rankings.xlsx", loggedIn, s.rankingExcel)
	h("GET /rankings/people/{id}", loggedIn, s.rankingPerson)
	// 创: 五创's scores.
	h("GET /scores", loggedIn, s.scoreList)
	h("GET /scores.xlsx", admins, s.scoresExcel)
	h("POST /scores/freeze", admins, s.scoreFreeze)
	h("POST /scores/publish", admins, s.scorePublish)
	h("GET /scores/scheme", admins, s.schemeShow)
	h("POST /scores/scheme", admins, s.schemeSave)
	h("GET /scores/what-if", admins, s.scoreWhatIf)
	h("GET /scores/{level}/{id}", loggedIn, s.scoreExplain)
	h("GET /honours", loggedIn, s.honourList)
	h("GET /honours/kinds", admins, s.honourKinds)
	h("POST /honours/kinds", admins, s.honourKindSave)
	h("POST /honours/kinds/{id}", admins, s.honourKindSave)
	h("POST /honours/selections", admins, s.selectionOpen)
	h("GET /honours/selections/{id}", loggedIn, s.selectionShow)
	h("POST /honours/selections/{id}/nominate", loggedIn, s.selectionNominate)
	h("POST /honours/selections/{id}/vote-start", admins, s.selectionVoteStart)
	h("POST /honours/selections/{id}/vote", loggedIn, s.selectionVote)
	h("POST /honours/selections/{id}/propose", admins, s.selectionPropose)
	h("POST /honours/selections/{id}/confirm", admins, s.selectionConfirm)
	h("POST /honours/awards/{id}/revoke", admins, s.awardRevoke)
	h("GET /honours/awards/{id}/certificate", admins, s.printCertificate)
	h("GET /honours/awards/{id}/plaque", admins, s.printPlaque)
	h("GET /exemplars", managers, s.exemplarList)
	limited("POST /exemplars", managers, evidenceLimit, s.exemplarSave)
	h("GET /exemplars/{id}", managers, s.exemplarShow)
	limited("POST /exemplars/{id}", managers, evidenceLimit, s.exemplarSave)
	h("POST /exemplars/{id}/move", managers, s.exemplarMove)
	h("GET /exemplars/photos/{id}", loggedIn, s.exemplarPhoto)
	// 五创's follow-up: the office's list names people, so it is the office's.
	h("GET /todo", managers, s.todoPage)
	h("GET /reports", admins, s.reportList)
	h("POST /reports", admins, s.reportGenerate)
	h("GET /reports/{id}", admins, s.reportShow)
	h("GET /reports/{id}/print", admins, s.reportPrint)
	h("GET /reports/{id}/excel", admins, s.reportExcel)
	h("GET /followup", admins, s.followupPage)
	h("POST /followup/talks", admins, s.followupTalk)
	h("POST /followup/plans", admins, s.followupPlanOpen)
	h("GET /followup/plans/{id}", loggedIn, s.followupPlan)
	h("POST /followup/plans/{id}/steps", admins, s.followupPlanSteps)
	h("POST /followup/plans/{id}/close", admins, s.followupPlanClose)
	h("POST /followup/steps/{id}/done", loggedIn, s.followupStepDone)
	h("GET /followup/branch-plans", managers, s.branchPlanList)
	h("POST /followup/branch-plans", managers, s.branchPlanSave)
	h("GET /followup/branch-plans/{id}", managers, s.branchPlanShow)
	h("POST /followup/branch-plans/{id}/move", managers, s.branchPlanMove)
	h("POST /followup/branch-plans/{id}/measures", managers, s.branchPlanMeasures)
	h("POST /followup/visits", admins, s.followupVisit)
	h("GET /followup/visits/{id}", managers, s.followupVisitShow)
	h("GET /rectifications", loggedIn, s.rectificationList)
	h("GET /rectifications/{id}", loggedIn, s.rectificationShow)
	h("POST /rectifications/{id}", loggedIn, s.rectificationStep)
	h("GET /notifications", anyone, s.notificationsPage)
	h("POST /notifications/read", anyone, s.notificationsRead)
	h("GET /spot-checks", admins, s.spotCheckList)
	h("GET /spot-checks/new", admins, s.spotCheckNew)
	h("POST /spot-checks", admins, s.spotCheckCreate)
	h("GET /spot-checks/{id}", loggedIn, s.spotCheckShow)

	// 管理: the campaign office's pages.
	h("GET /staff/new", admins, s.staffNew)
	h("POST /staff", admins, s.staffCreate)
	h("GET /staff/{id}/edit", admins, s.staffEdit)
	h("POST /staff/{id}", admins, s.staffUpdate)
	h("POST /staff/{id}/active", admins, s.staffSetActive)
	upload("POST /staff/{id}/photo", admins, s.staffPhotoUpload)

	h("GET /items/new", admins, s.itemNew)
	upload("POST /items/import", admins, s.itemsImport)
	h("POST /items", admins, s.itemCreate)
	h("GET /items/{id}/edit", admins, s.itemEdit)
	h("POST /items/{id}", admins, s.itemUpdate)
	h("POST /items/{id}/active", admins, s.itemSetActive)

	h("GET /print/badges", admins, s.printBadges)
	h("GET /print/desksign/staff/{id}", admins, s.printDeskSignStaff)
	h("GET /print/desksign/window/{id}", admins, s.printDeskSignWindow)
	h("GET /print/items/{id}", loggedIn, s.printItem)

	h("GET /calendar", admins, s.calendarPage)
	h("POST /calendar", admins, s.calendarAdd)
	h("POST /calendar/{id}/remove", admins, s.calendarRemove)
	h("POST /calendar/hours", admins, s.calendarHours)

	h("GET /emblem", admins, s.emblemPage)
	upload("POST /emblem", admins, s.emblemUpload)
	h("GET /emblem.jpg", loggedIn, s.emblemImage)

	h("GET /departments", admins, s.departmentList)
	h("GET /departments/new", admins, s.departmentNew)
	h("POST /departments", admins, s.departmentCreate)
	h("GET /departments/{id}/edit", admins, s.departmentEdit)
	h("POST /departments/{id}", admins, s.departmentUpdate)
	h("POST /departments/{id}/active", admins, s.departmentSetActive)

	h("GET /branches", admins, s.branchList)
	h("GET /branches/new", admins, s.branchNew)
	h("POST /branches", admins, s.branchCreate)
	h("GET /branches/{id}/edit", admins, s.branchEdit)
	h("POST /branches/{id}", admins, s.branchUpdate)
	h("POST /branches/{id}/active", admins, s.branchSetActive)

	h("GET /leading-group", loggedIn, s.leaderList)
	h("POST /leading-group", admins, s.leaderAdd)
	h("POST /leading-group/{id}/remove", admins, s.leaderRemove)

	h("GET /roster", admins, s.rosterPage)
	h("GET /roster/template.xlsx", admins, s.rosterTemplate)
	h("GET /roster/export.xlsx", admins, s.rosterExport)
	upload("POST /roster/preview", admins, s.rosterPreview)
	h("POST /roster/import", admins, s.rosterImport)

	h("GET /users", admins, s.userList)
	h("POST /users", admins, s.userCreate)
	h("POST /users/{id}/active", admins, s.userSetActive)
	h("POST /users/{id}/password", admins, s.userResetPassword)
	h("POST /users/{id}/slip", admins, s.userSlip)
	h("POST /users/accounts", admins, s.accountsCreate)

	h("GET /apikeys", admins, s.apikeyList)
	h("POST /apikeys", admins, s.apikeyCreate)
	h("POST /apikeys/{id}/revoke", admins, s.apikeyRevoke)

	h("GET /screens", admins, s.screenList)
	h("POST /screens", admins, s.screenCreate)
	h("POST /screens/{id}", admins, s.screenUpdate)
	h("POST /screens/{id}/revoke", admins, s.screenRevoke)
	h("POST /screens/notices", admins, s.noticeCreate)
	h("POST /screens/notices/{id}/withdraw", admins, s.noticeWithdraw)

	h("GET /audit", admins, s.auditList)
	h("GET /audit.xlsx", admins, s.auditExcel)

	h("GET /admin/units", sysAdmins, s.unitList)
	h("POST /admin/units", sysAdmins, s.unitCreate)
	h("POST /admin/units/{id}/enter", sysAdmins, s.unitEnter)
}
