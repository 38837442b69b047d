package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/locale"
)

// workdays: wuliang workdays --from 2026-09-30 --add 5 prints the 5th
// working day after the date; --to B prints the number of working days
// after --from up to and including B. With --unit the unit's own days
// count too (from --db); without, no database is needed.
func workdays(ctx context.Context, args []string, env Env) error {
	c := newCommand("workdays", "workdays --from YYYY-MM-DD (--add N | --to YYYY-MM-DD) [--unit CODE --db DSN]", env.Stderr, "db", "unit")
	from := c.fs.String("from", "", "start date, YYYY-MM-DD (default: today in Asia/Shanghai)")
	add := c.fs.String("add", "", "print the N-th working day after --from (0 prints --from)")
	to := c.fs.String("to", "", "print the number of working days after --from up to and including this date")
	if err := parse(c, args); err != nil {
		return err
	}
	if (*add == "") == (*to == "") || c.fs.NArg() != 0 {
		fmt.Fprintln(env.Stderr, "wuliang workdays: give exactly one of --add and --to")
		c.fs.Usage()
		return errUsage
	}
	start := time.Now().In(time.FixedZone("CST", 8*3600))
	if *from != "" {
		var err error
		if start, err = time.Parse(time.DateOnly, *from); err != nil {
			return locale.NewError("calendar.date_invalid", *from)
		}
	}
	cal := calendar.National()
	if code := c.str("unit"); code != "" {
		db, err := openDB(ctx, c.str("db"))
		if err != nil {
			return err
		}
		defer db.Close()
		unit, err := unitByCode(ctx, db, code)
		if err != nil {
			return err
		}
		if cal, err = calendar.NewStore(db).ForUnit(ctx, unit.ID); err != nil {
			return err
		}
	}
	if *add != "" {
		n, err := strconv.Atoi(*add)
		if err != nil || n < 0 || n > 3650 {
			return locale.NewError("cli.workdays_add")
		}
		fmt.Fprintln(env.Stdout, cal.AddWorkdays(start, n).Format(time.DateOnly))
		return nil
	}
	end, err := time.Parse(time.DateOnly, *to)
	if err != nil {
		return locale.NewError("calendar.date_invalid", *to)
	}
	fmt.Fprintln(env.Stdout, cal.Between(start, end))
	return nil
}
