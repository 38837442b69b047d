package cli

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// demoLoad: wuliang demo --db DSN [--at 2026-11-26T10:00] loads the demo
// data set into an empty database as it would stand at a moment (now by
// default, in Asia/Shanghai): a trial installation, a training copy, or
// the prepared database the site tests start from.
func demoLoad(ctx context.Context, args []string, env Env) error {
	c := newCommand("demo", "demo --db DSN [--at YYYY-MM-DDTHH:MM]", env.Stderr, "db")
	at := c.fs.String("at", "", "the moment the demo stands at, YYYY-MM-DDTHH:MM in Asia/Shanghai (default: now)")
	if err := parse(c, args); err != nil {
		return err
	}
	now := time.Now()
	if *at != "" {
		var err error
		if now, err = time.ParseInLocation("2006-01-02T15:04", *at, org.Location("Asia/Shanghai")); err != nil {
			return locale.NewError("demo.at_invalid", *at)
		}
	}
	db, err := openDB(ctx, c.str("db"))
	if err != nil {
		return err
	}
	defer db.Close()
	return loadDemo(ctx, db, now, env)
}

func loadDemo(ctx context.Context, db *database.DB, now time.Time, env Env) error {
	loaded, err := demo.Load(ctx, db, now)
	if err != nil {
		return err
	}
	if _, err := org.NewStore(db).UnitByCode(ctx, "demo-center"); err != nil {
		fmt.Fprintln(env.Stdout, "wuliang: the database already holds other units; demo data not loaded")
		return nil
	}
	if loaded {
		fmt.Fprintln(env.Stdout, "wuliang: demo data loaded")
	}
	fmt.Fprintf(env.Stdout, "wuliang: demo logins (password %s):\n", demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(env.Stdout, "  %-20s %-16s %s %s\n", l.Username, l.Role, l.Unit, l.Who)
	}
	return nil
}
