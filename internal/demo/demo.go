// Package demo loads the demonstration data set: the two units of the seed
// plans (黄冈市中医医院 and a county 行政服务中心) with their branches,
// departments and windows, invented staff, the leading group and logins.
// Names are invented; the seed's own leaders (李祥生, 马先军) are kept.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// Password is every demo login's password.
const Password = "demo1234"

// Login is a demo account to print at start.
type Login struct {
	Unit, Username, Role, Who string
}

// Logins lists the demo accounts.
var Logins = []Login{
	{"", "admin", accounts.RoleSystemAdmin, "系统管理员"},
	{"demo-center", "center-admin", accounts.RoleUnitAdmin, "马先军(领导小组办公室主任)"},
	{"demo-center", "center-secretary", accounts.RoleBranchSecretary, "李祥生(中心党支部书记)"},
	{"demo-center", "center-lead", accounts.RoleWindowLead, "税务窗口负责人"},
	{"demo-center", "center-staff", accounts.RoleStaff, "税务窗口工作人员"},
	{"demo-center", "center-supervisor", accounts.RoleSupervisor, "郑国华(形象监督员)"},
	{"demo-hospital", "hospital-admin", accounts.RoleUnitAdmin, "医院党办"},
	{"demo-hospital", "hospital-secretary", accounts.RoleBranchSecretary, "门诊支部书记"},
	{"demo-hospital", "hospital-staff", accounts.RoleStaff, "门诊挂号收费处工作人员"},
}

var actor = audit.Actor{Name: "demo"}

// Load fills an empty database with the demo set, as it would stand at the
// moment now: the history it plays (cases, ratings, reviews, activities)
// leads up to that moment, so serve passes the wall clock and tests a fixed
// one. It returns false without error when the database already holds
// units (or another instance started loading at the same moment): the demo
// never touches real data.
func Load(ctx context.Context, db *database.DB, now time.Time) (loaded bool, err error) {
	err = db.Unsynced(ctx, func() error {
		loaded, err = load(ctx, db, now)
		return err
	})
	return loaded, err
}

func load(ctx context.Context, db *database.DB, now time.Time) (bool, error) {
	store := org.NewStore(db)
	n, err := store.CountUnits(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	// Creating the first unit is the claim: a second instance racing us
	// fails on the unique unit code and leaves the loading to us.
	centerID, err := store.CreateUnit(ctx, actor, org.UnitInput{Code: "demo-center", Name: "某县行政服务中心", Kind: "center"})
	if err != nil {
		if _, ok := locale.AsProblems(err); ok || database.IsUniqueViolation(err) {
			return false, nil
		}
		return false, err
	}
	hospitalID, err := store.CreateUnit(ctx, actor, org.UnitInput{Code: "demo-hospital", Name: "黄冈市中医医院", Kind: "hospital"})
	if err != nil {
		return false, err
	}
	hash, err := passwordHash()
	if err != nil {
		return false, err
	}
	b := &builder{ctx: ctx, db: db, org: store, acc: accounts.NewStore(db), rnd: rand.New(rand.NewPCG(2011, 418)), used: map[string]bool{},
		now: now.In(cst).Truncate(time.Minute), hash: hash}
	if err := b.center(centerID); err != nil {
		return false, fmt.Errorf("demo: service centre: %w", err)
	}
	if err := b.hospital(hospitalID); err != nil {
		return false, fmt.Errorf("demo: hospital: %w", err)
	}
	for _, unitID := range []int64{centerID, hospitalID} {
		office, err := b.officeUser(unitID)
		if err != nil {
			return false, err
		}
		texts := &centreTexts
		if unitID == hospitalID {
			texts = &hospitalTexts
		}
		if err := b.addCommitments(unitID, office, texts); err != nil {
			return false, fmt.Errorf("demo: commitments: %w", err)
		}
		if err := b.addCounterWork(unitID, office, texts); err != nil {
			return false, fmt.Errorf("demo: counter work: %w", err)
		}
	}
	if err := b.scores(centerID, hospitalID); err != nil {
		return false, err
	}
	if _, err := b.acc.CreateUser(ctx, actor, accounts.NewUser{Username: "admin", DisplayName: "系统管理员", PasswordHash: hash, Role: accounts.RoleSystemAdmin}); err != nil {
		return false, fmt.Errorf("demo: system admin: %w", err)
	}
	return true, nil
}

type builder struct {
	ctx  context.Context
	db   *database.DB
	org  *org.Store
	acc  *accounts.Store
	rnd  *rand.Rand
	used map[string]bool
	now  time.Time // the moment the demo stands at, in the demo's zone
	hash string    // of Password, shared by every demo login
}

// passwordHash hashes the demo password once per process: argon2 is slow
// on purpose, and every login of every demo load shares the one password.
var passwordHash = sync.OnceValues(func() (string, error) { return accounts.HashPassword(Password) })

// dept describes a department and the posts of the people in it, first the
// lead, then the rest.
type dept struct {
	name, kind, windowNo, duties string
	branch                       string
	posts                        []string
}

// person is a staff member the builder created.
type person struct {
	id, dept int64
	no, name string
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	male     = []string{"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "志强", "建华", "国栋", "海涛", "文博", "子轩", "俊杰", "晓东", "振宇", "德明"}
	female   = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "颖", "琳", "倩", "晶", "红", "梅", "莉", "丹", "萍", "洁", "璐", "晓燕", "秀英", "桂兰", "海燕", "雨欣", "思琪", "梦瑶", "佳怡", "欣怡", "婉清", "丽华", "春梅"}
)

// name invents a unique two- or three-character name.
func (b *builder) name(gender string) string {
	for {
		given := male
		if gender == "female" {
			given = female
		}
		n := string(surnames[b.rnd.IntN(len(surnames))]) + given[b.rnd.IntN(len(given))]
		if !b.used[n] {
			b.used[n] = true
			return n
		}
	}
}

// status draws a political status with a realistic mix for a window unit:
// about a third members, a few probationary, some league members.
func (b *builder) status() string {
	switch x := b.rnd.IntN(100); {
	case x < 35:
		return org.StatusMember
	case x < 41:
		return org.StatusProbationary
	case x < 58:
		return org.StatusLeague
	default:
		return org.StatusMasses
	}
}

func (b *builder) phone() string {
	prefixes := []string{"130", "133", "135", "137", "138", "139", "150", "152", "158", "177", "180", "186", "189"}
	return fmt.Sprintf("%s%08d", prefixes[b.rnd.IntN(len(prefixes))], b.rnd.IntN(100000000))
}

// build creates branches, departments and staff, pairs each department's
// people as A/B posts, and returns the people by department name.
func (b *builder) build(unitID int64, prefix string, branches []string, depts []dept) (map[string][]person, map[string]int64, error) {
	branchIDs := map[string]int64{}
	for _, name := range branches {
		id, err := b.org.CreateBranch(b.ctx, actor, unitID, org.BranchInput{Name: name})
		if err != nil {
			return nil, nil, err
		}
		branchIDs[name] = id
	}
	people := map[string][]person{}
	seq := 0
	for i, d := range depts {
		deptID, err := b.org.CreateDepartment(b.ctx, actor, unitID, org.DepartmentInput{Name: d.name, Kind: d.kind, WindowNo: d.windowNo,
			Duties: d.duties, SortOrder: (i + 1) * 10})
		if err != nil {
			return nil, nil, err
		}
		for _, post := range d.posts {
			seq++
			gender := "male"
			if b.rnd.IntN(100) < 55 {
				gender = "female"
			}
			in := org.StaffInput{Name: b.name(gender), Gender: gender, Post: post, EmployeeNo: fmt.Sprintf("%s%04d", prefix, seq),
				Phone: b.phone(), DepartmentID: deptID, PoliticalStatus: b.status(), Duties: d.duties}
			if in.PoliticalStatus == org.StatusMember || in.PoliticalStatus == org.StatusProbationary || b.rnd.IntN(3) == 0 {
				in.BranchID = branchIDs[d.branch]
			}
			if len(people[d.name]) == 0 {
				in.PoliticalStatus = org.StatusMember // heads of departments and windows are members here
				in.BranchID = branchIDs[d.branch]
			}
			id, err := b.org.CreateStaff(b.ctx, actor, unitID, in)
			if err != nil {
				return nil, nil, fmt.Errorf("staff %s: %w", in.Name, err)
			}
			people[d.name] = append(people[d.name], person{id: id, dept: deptID, no: in.EmployeeNo, name: in.Name})
		}
		if err := b.pair(unitID, people[d.name]); err != nil {
			return nil, nil, err
		}
	}
	return people, branchIDs, nil
}

// pair makes each person the B post of the next one in the department (服务双岗).
func (b *builder) pair(unitID int64, list []person) error {
	if len(list) < 2 {
		return nil
	}
	for i, p := range list {
		backup := list[(i+1)%len(list)]
		s, err := b.org.Staff(b.ctx, unitID, p.id)
		if err != nil {
			return err
		}
		in := s.Input()
		in.BackupID = backup.id
		if err := b.org.UpdateStaff(b.ctx, actor, unitID, p.id, in); err != nil {
			return err
		}
	}
	return nil
}

// rename gives a demo person a name from the seed plans.
func (b *builder) rename(unitID int64, p *person, name, post, status string, branchID int64) error {
	s, err := b.org.Staff(b.ctx, unitID, p.id)
	if err != nil {
		return err
	}
	in := s.Input()
	in.Name, in.Gender, in.Post, in.BranchID, in.PoliticalStatus = name, "male", post, branchID, status
	p.name = name
	return b.org.UpdateStaff(b.ctx, actor, unitID, p.id, in)
}

// joinBranch makes a person a party member of a branch.
func (b *builder) joinBranch(unitID int64, p person, branchID int64) error {
	s, err := b.org.Staff(b.ctx, unitID, p.id)
	if err != nil {
		return err
	}
	in := org.StaffInput{Name: s.Name, Gender: s.Gender, Post: s.Post, EmployeeNo: s.EmployeeNo, Phone: s.Phone, DepartmentID: s.DepartmentID,
		BranchID: branchID, PoliticalStatus: org.StatusMember, BackupID: s.BackupID, Duties: s.Duties}
	return b.org.UpdateStaff(b.ctx, actor, unitID, p.id, in)
}

func (b *builder) user(unitID int64, username, role string, p person, branchID, deptID int64) error {
	_, err := b.acc.CreateUser(b.ctx, actor, accounts.NewUser{UnitID: unitID, Username: username, DisplayName: p.name, PasswordHash: b.hash,
		Role: role, StaffID: p.id, BranchID: branchID, DepartmentID: deptID})
	return err
}

func branchInput(name string, secretaryID int64) org.BranchInput {
	return org.BranchInput{Name: name, SecretaryID: secretaryID}
}
