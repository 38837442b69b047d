package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/roster"
)

var cliActor = audit.Actor{Name: "cli"}

func unitAdd(ctx context.Context, args []string, env Env) error {
	c := newCommand("unit add", "unit add --db DSN --code CODE --name NAME [--kind center|hospital|tax|other]", env.Stderr, "db")
	code := c.fs.String("code", "", "short ASCII code, e.g. county-center")
	name := c.fs.String("name", "", "full name, e.g. 某县行政服务中心")
	kind := c.fs.String("kind", "center", "center, hospital, tax or other")
	db, _, err := c.setup(ctx, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := org.NewStore(db).CreateUnit(ctx, cliActor, org.UnitInput{Code: *code, Name: *name, Kind: *kind})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "unit %s created (id %d)\n", *code, id)
	return nil
}

func userAdd(ctx context.Context, args []string, env Env) error {
	c := newCommand("user add", "user add --db DSN --unit CODE --role ROLE --username NAME [--staff EMPLOYEE_NO] [--branch NAME] [--department NAME] < password",
		env.Stderr, "db", "unit")
	role := c.fs.String("role", "", "unit_admin, branch_secretary, window_lead, staff; or system_admin without --unit")
	username := c.fs.String("username", "", "login name: letters, digits, . _ -")
	name := c.fs.String("name", "", "name shown in the app")
	staffNo := c.fs.String("staff", "", "employee number of the person this login belongs to (required for staff)")
	branch := c.fs.String("branch", "", "party branch name (for branch_secretary)")
	department := c.fs.String("department", "", "department or window name (for window_lead)")
	if err := parse(c, args); err != nil {
		return err
	}
	db, err := openDB(ctx, c.str("db"))
	if err != nil {
		return err
	}
	defer db.Close()
	in := accounts.NewUser{Username: *username, DisplayName: *name, Role: *role}
	if *role != accounts.RoleSystemAdmin {
		unit, err := unitByCode(ctx, db, c.str("unit"))
		if err != nil {
			return err
		}
		in.UnitID = unit.ID
		if in.StaffID, in.BranchID, in.DepartmentID, err = resolveScope(ctx, org.NewStore(db), unit.ID, *staffNo, *branch, *department); err != nil {
			return err
		}
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return locale.NewError("cli.password_stdin")
	}
	in.Password = strings.TrimRight(line, "\r\n")
	id, err := accounts.NewStore(db).CreateUser(ctx, cliActor, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s created (id %d)\n", in.Username, id)
	return nil
}

// resolveScope turns names typed on the command line into ids of the unit.
func resolveScope(ctx context.Context, store *org.Store, unitID int64, staffNo, branch, department string) (staffID, branchID, deptID int64, err error) {
	if staffNo != "" {
		s, err := store.StaffByEmployeeNo(ctx, unitID, staffNo)
		if err != nil {
			return 0, 0, 0, locale.NewError("error.staff_no_unknown", staffNo)
		}
		staffID = s.ID
	}
	// The roster's lookups map names to ids, as the command line needs.
	lk, err := roster.LoadLookups(ctx, store, unitID)
	if err != nil {
		return 0, 0, 0, err
	}
	if branchID = lk.Branches[branch]; branch != "" && branchID == 0 {
		return 0, 0, 0, locale.NewError("roster.branch_unknown", branch)
	}
	if deptID = lk.Departments[department]; department != "" && deptID == 0 {
		return 0, 0, 0, locale.NewError("roster.department_unknown", department)
	}
	return staffID, branchID, deptID, nil
}

func apikeyCreate(ctx context.Context, args []string, env Env) error {
	c := newCommand("apikey create", "apikey create --db DSN --unit CODE --name NAME [--scopes read,cases,ratings-device,exchange] [--window NAME]",
		env.Stderr, "db", "unit")
	name := c.fs.String("name", "", "what the key is for, e.g. 2号窗口叫号机")
	scopes := c.fs.String("scopes", apikeys.ScopeRead, "what the key may do, comma-separated: "+strings.Join(apikeys.Scopes, ", "))
	window := c.fs.String("window", "", "the window (department) a rating device stands at, by name")
	db, unit, err := c.setup(ctx, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	sp := apikeys.Spec{Name: *name, Scopes: strings.Split(*scopes, ",")}
	if *window != "" {
		depts, err := org.NewStore(db).Departments(ctx, unit.ID)
		if err != nil {
			return err
		}
		for _, d := range depts {
			if d.Name == *window && d.Active {
				sp.WindowID = d.ID
			}
		}
		if sp.WindowID == 0 {
			return locale.NewError("roster.department_unknown", *window)
		}
	}
	plain, k, err := apikeys.NewStore(db).Create(ctx, cliActor, unit.ID, sp)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "API key %d (%s) for %s — shown only now, store it safely:\n%s\n", k.ID, k.Name, unit.Code, plain)
	return nil
}

func importStaff(ctx context.Context, args []string, env Env) error {
	c := newCommand("import staff", "import staff --db DSN --unit CODE FILE.xlsx", env.Stderr, "db", "unit")
	db, unit, err := c.setup(ctx, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := os.ReadFile(c.fs.Arg(0))
	if err != nil {
		return err
	}
	p, res, err := roster.Import(ctx, org.NewStore(db), cliActor, unit.ID, data)
	if errors.Is(err, roster.ErrProblems) {
		for _, pr := range p.Problems {
			fmt.Fprintln(env.Stderr, roster.FormatProblem(pr))
		}
		return locale.NewError("cli.import_refused", len(p.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d rows: %d new, %d updated, %d unchanged\n", len(p.Rows), res.Created, res.Updated, res.Unchanged)
	return nil
}

func exportStaff(ctx context.Context, args []string, env Env) error {
	c := newCommand("export staff", "export staff --db DSN --unit CODE FILE.xlsx", env.Stderr, "db", "unit")
	db, unit, err := c.setup(ctx, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Create(c.fs.Arg(0))
	if err != nil {
		return err
	}
	if err := roster.Export(ctx, org.NewStore(db), unit.ID, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "exported the roster of %s to %s\n", unit.Code, c.fs.Arg(0))
	return nil
}

func backup(ctx context.Context, args []string, env Env) error {
	c := newCommand("backup", "backup --db DSN FILE", env.Stderr, "db")
	db, _, err := c.setup(ctx, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, c.fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup written to %s\n", c.fs.Arg(0))
	return nil
}

func auditVerify(ctx context.Context, args []string, env Env) error {
	c := newCommand("audit verify", "audit verify --db DSN [--head FILE]", env.Stderr, "db")
	headFile := c.fs.String("head", "", "a head written by `audit head` earlier: the chain must still reach it")
	db, _, err := c.setup(ctx, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	breach, n, err := audit.Verify(ctx, db)
	if err != nil {
		return err
	}
	if breach == nil && *headFile != "" {
		var anchor audit.Head
		data, err := os.ReadFile(*headFile)
		if err == nil {
			err = json.Unmarshal(data, &anchor)
		}
		if err != nil {
			return locale.NewError("audit.head_bad", *headFile, err)
		}
		if breach, err = audit.VerifyHead(ctx, db, anchor); err != nil {
			return err
		}
	}
	if breach != nil {
		return locale.NewError(breach.Reason, breach.Seq)
	}
	findings, err := audit.VerifyData(ctx, db, mirrors...)
	if err != nil {
		return err
	}
	for _, f := range findings {
		if f.Reason == "audit.row_changed" {
			fmt.Fprintln(env.Stderr, locale.NewError(f.Reason, f.Table, f.ID, f.Field).Error())
		} else {
			fmt.Fprintln(env.Stderr, locale.NewError(f.Reason, f.Table, f.ID).Error())
		}
	}
	if len(findings) > 0 {
		return fmt.Errorf("%d rows differ from the audit trail", len(findings))
	}
	var tables []string
	for _, m := range mirrors {
		tables = append(tables, m.Table)
	}
	fmt.Fprintf(env.Stdout, "audit trail intact: %d records verified, and the rows of %s match them\n", n, strings.Join(tables, ", "))
	return nil
}

// mirrors are the fact tables audit verify compares with the trail, each
// declared by the package that owns it.
var mirrors = []audit.Mirror{ratings.Mirror, cases.Mirror}

// auditHead prints the chain's head as JSON, to keep outside the database.
func auditHead(ctx context.Context, args []string, env Env) error {
	c := newCommand("audit head", "audit head --db DSN > head.json", env.Stderr, "db")
	db, _, err := c.setup(ctx, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	h, err := audit.ReadHead(ctx, db)
	if err != nil {
		return err
	}
	return json.NewEncoder(env.Stdout).Encode(h)
}

// migrate copies a whole database into an empty one of either engine.
func migrate(ctx context.Context, args []string, env Env) error {
	c := newCommand("migrate", "migrate --from DSN --to DSN", env.Stderr)
	from := c.fs.String("from", "", "the database to copy, e.g. sqlite:wuliang.db")
	to := c.fs.String("to", "", "an empty database to copy into, e.g. postgres://wuliang@db/wuliang")
	if err := parse(c, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || c.fs.NArg() != 0 {
		c.fs.Usage()
		return errUsage
	}
	src, err := openDB(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openDB(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := database.Copy(ctx, src, dst)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Fprintf(env.Stdout, "copied %d rows of %d tables from %s to %s (units %d, ratings %d, audit records %d); run audit verify on the target\n",
		total, len(counts), src.Engine, dst.Engine, counts["units"], counts["ratings"], counts["audit_log"])
	return nil
}
