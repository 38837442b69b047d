package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// Env is what a subcommand may use of the process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

const usage = `wuliang — 五亮五比五创 campaign platform

usage: wuliang COMMAND [flags]

commands:
  serve            run the web server (pages, JSON API, background jobs)
  demo             load the demo data set into an empty database (--at a moment)
  unit add         create a unit (a tenant: one hospital, one service centre)
  user add         create a login (password read from standard input)
  apikey create    create an API key for a unit's machines (printed once, last line)
  import staff     import a staff roster from an .xlsx file (all rows or none)
  export staff     export a unit's staff roster to an .xlsx file
  backup           write a consistent copy of the database while it runs
  audit verify     check the audit trail's hash chain, an anchored head (--head FILE) and the ratings' rows against it
  audit head       print the chain's head as JSON, to anchor outside the database
  migrate          copy a whole database into an empty one (SQLite to PostgreSQL and back)
  workdays         working-day arithmetic on the holiday calendar (--add N or --to DATE)

Run "wuliang COMMAND --help" for the flags of a command.
`

// Run executes the command line args (without the program name) and returns
// the exit status.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	two := ""
	if len(args) > 1 {
		two = args[0] + " " + args[1]
	}
	var err error
	switch {
	case args[0] == "serve":
		err = serve(ctx, args[1:], env)
	case args[0] == "demo":
		err = demoLoad(ctx, args[1:], env)
	case two == "unit add":
		err = unitAdd(ctx, args[2:], env)
	case two == "user add":
		err = userAdd(ctx, args[2:], env)
	case two == "apikey create":
		err = apikeyCreate(ctx, args[2:], env)
	case two == "import staff":
		err = importStaff(ctx, args[2:], env)
	case two == "export staff":
		err = exportStaff(ctx, args[2:], env)
	case args[0] == "backup":
		err = backup(ctx, args[1:], env)
	case two == "audit verify":
		err = auditVerify(ctx, args[2:], env)
	case two == "audit head":
		err = auditHead(ctx, args[2:], env)
	case args[0] == "migrate":
		err = migrate(ctx, args[1:], env)
	case args[0] == "workdays":
		err = workdays(ctx, args[1:], env)
	default:
		fmt.Fprintf(env.Stderr, "wuliang: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(env.Stderr, "wuliang: %v\n", err)
		return 1
	}
}

// errUsage means the flags were wrong and the usage has been printed.
var errUsage = errors.New("usage")

func parse(c *command, args []string) error {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// setup parses args, checks the number of positional arguments, opens the
// database and, for a command that takes --unit, finds the unit. The caller
// closes the database.
func (c *command) setup(ctx context.Context, args []string, positional int) (*database.DB, org.Unit, error) {
	if err := parse(c, args); err != nil {
		return nil, org.Unit{}, err
	}
	if c.fs.NArg() != positional {
		c.fs.Usage()
		return nil, org.Unit{}, errUsage
	}
	db, err := openDB(ctx, c.str("db"))
	if err != nil {
		return nil, org.Unit{}, err
	}
	if _, takesUnit := c.strings["unit"]; !takesUnit {
		return db, org.Unit{}, nil
	}
	unit, err := unitByCode(ctx, db, c.str("unit"))
	if err != nil {
		db.Close()
		return nil, org.Unit{}, err
	}
	return db, unit, nil
}

// openDB opens and migrates the database of the --db flag.
func openDB(ctx context.Context, dsn string) (*database.DB, error) {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// unitByCode finds the unit of the --unit flag with a message people can act on.
func unitByCode(ctx context.Context, db *database.DB, code string) (org.Unit, error) {
	if code == "" {
		return org.Unit{}, locale.NewError("cli.unit_required")
	}
	u, err := org.NewStore(db).UnitByCode(ctx, code)
	if errors.Is(err, org.ErrNotFound) {
		return u, locale.NewError("cli.unit_unknown", code)
	}
	return u, err
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// Main runs the process's command line and exits.
func Main() {
	ctx, stop := signalContext()
	defer stop()
	os.Exit(Run(ctx, os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
