package web

import "wuliang/internal/accounts"

// navGroup is one section of the navigation. The sections follow the
// campaign: 亮 (show), 比 (compare), 创 (create), then 管理 (manage). A
// section appears only when it has a page the user may open.
type navGroup struct {
	Key   string
	Items []navItem
}

type navItem struct {
	Key  string // catalogue key of the label
	Path string
}

type navEntry struct {
	group, key, path string
	access           access
}

// navEntries lists the pages reachable from the menu; later features add
// their pages here.
var navEntries = []navEntry{
	{"nav.show", "nav.todo", "/todo", managers},
	{"nav.show", "nav.me", "/me", loggedIn},
	{"nav.show", "nav.staff", "/staff", managers},
	{"nav.show", "nav.windows", "/windows", loggedIn},
	{"nav.show", "nav.items", "/items", loggedIn},
	{"nav.show", "nav.commitments", "/commitments", loggedIn},
	{"nav.show", "nav.leading_group", "/leading-group", loggedIn},
	{"nav.show", "nav.screens", "/screens", admins},
	{"nav.compare", "nav.cases", "/cases", loggedIn},
	{"nav.compare", "nav.status", "/status", loggedIn},
	{"nav.compare", "nav.whereabouts", "/whereabouts", loggedIn},
	{"nav.compare", "nav.ratings", "/ratings", loggedIn},
	{"nav.compare", "nav.rectifications", "/rectifications", loggedIn},
	{"nav.compare", "nav.feedback", "/feedback", admins},
	{"nav.compare", "nav.reviews", "/reviews", loggedIn},
	{"nav.compare", "nav.five_appraisals", "/five-appraisals", loggedIn},
	{"nav.compare", "nav.activities", "/activities", loggedIn},
	{"nav.compare", "nav.sessions", "/activities/sessions", loggedIn},
	{"nav.compare", "nav.contests", "/activities/contests", admins},
	{"nav.compare", "nav.rankings", "/rankings", loggedIn},
	{"nav.compare", "nav.appraisals", "/appraisals", admins},
	{"nav.compare", "nav.observations", "/observations", observers},
	{"nav.compare", "nav.efficiency", "/efficiency", loggedIn},
	{"nav.compare", "nav.accountability", "/accountability", loggedIn},
	{"nav.compare", "nav.spot_checks", "/spot-checks", admins},
	{"nav.create", "nav.scores", "/scores", loggedIn},
	{"nav.create", "nav.honours", "/honours", loggedIn},
	{"nav.create", "nav.exemplars", "/exemplars", managers},
	{"nav.create", "nav.followup", "/followup", admins},
	{"nav.create", "nav.branch_plans", "/followup/branch-plans", managers},
	{"nav.create", "nav.reports", "/reports", admins},
	{"nav.manage", "nav.departments", "/departments", admins},
	{"nav.manage", "nav.branches", "/branches", admins},
	{"nav.manage", "nav.roster", "/roster", admins},
	{"nav.manage", "nav.emblem", "/emblem", admins},
	{"nav.manage", "nav.calendar", "/calendar", admins},
	{"nav.manage", "nav.activity_kinds", "/activities/kinds", admins},
	{"nav.manage", "nav.users", "/users", admins},
	{"nav.manage", "nav.apikeys", "/apikeys", admins},
	{"nav.manage", "nav.audit", "/audit", admins},
	{"nav.manage", "nav.units", "/admin/units", sysAdmins},
}

// navBar is the navigation: a role's daily pages first, always in view,
// then the campaign's verbs as menus that open on demand, so that a phone
// shows the page's content rather than thirty links.
type navBar struct {
	Quick  []navItem
	Groups []navGroup
}

// Current reports whether the group holds the page at path.
func (g navGroup) Current(path string) bool {
	for _, it := range g.Items {
		if it.Path == path {
			return true
		}
	}
	return false
}

// quickPaths is each role's daily work, in the order it is done.
var quickPaths = map[string][]string{
	accounts.RoleUnitAdmin:       {"/todo", "/cases", "/ratings", "/scores"},
	accounts.RoleBranchSecretary: {"/todo", "/activities", "/five-appraisals"},
	accounts.RoleWindowLead:      {"/todo", "/cases", "/reviews"},
	accounts.RoleStaff:           {"/cases", "/activities/sessions", "/me"},
	accounts.RoleSupervisor:      {"/observations"},
	accounts.RoleSystemAdmin:     {"/admin/units"},
}

func navFor(u accounts.User, inUnit bool) navBar {
	groups := navGroups(u, inUnit)
	bar := navBar{Groups: groups}
	for _, path := range quickPaths[u.Role] {
		for _, g := range groups {
			for _, it := range g.Items {
				if it.Path == path {
					bar.Quick = append(bar.Quick, it)
				}
			}
		}
	}
	return bar
}

func navGroups(u accounts.User, inUnit bool) []navGroup {
	var groups []navGroup
	for _, e := range navEntries {
		if !allowed(e.access, u) || (e.access != sysAdmins && !inUnit) {
			continue
		}
		if e.path == "/me" && u.StaffID == 0 {
			continue
		}
		// Branch plans are the branches' and the office's, not a window lead's.
		if e.path == "/followup/branch-plans" && !u.IsAdmin() && !u.Is(accounts.RoleBranchSecretary) {
			continue
		}
		if len(groups) == 0 || groups[len(groups)-1].Key != e.group {
			groups = append(groups, navGroup{Key: e.group})
		}
		g := &groups[len(groups)-1]
		g.Items = append(g.Items, navItem{Key: e.key, Path: e.path})
	}
	return groups
}
