package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/api"
	"wuliang/internal/database"
	"wuliang/internal/roster"
	"wuliang/internal/stores"
	"wuliang/internal/web"
)

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func serve(ctx context.Context, args []string, env Env) error {
	c := newCommand("serve", "serve [--addr 127.0.0.1:8080] [--db DSN] [--demo] [--public-url URL] [--trusted-proxy CIDR,…]", env.Stderr, "addr", "db", "demo", "secure-cookies", "public-url", "trusted-proxy")
	if err := parse(c, args); err != nil {
		return err
	}
	log := newLogger(env.Stderr)
	db, err := openDB(ctx, c.str("db"))
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "db", db.Redacted(), "engine", db.Engine)

	if c.flag("demo") {
		if err := loadDemo(ctx, db, time.Now(), env); err != nil {
			return err
		}
	}
	// Every store is built once and shared by the pages and the API; the
	// set's Close (deferred after the database's, so run before it) stops
	// the rating writer once the server has stopped handing it ratings.
	set := stores.New(db)
	defer set.Close()
	site, err := web.New(set, log)
	if err != nil {
		return err
	}
	site.SecureCookies = c.flag("secure-cookies")
	site.PublicURL = c.str("public-url")
	if site.TrustedProxies, err = web.ParseProxies(c.str("trusted-proxy")); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.str("addr"))
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.str("addr"), err)
	}
	srv := &http.Server{
		Handler:           site.Handler(api.New(set, log).Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // roster uploads on slow intranet links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	// Shutdown waits for every request to end; the hall screens' streams
	// end only when the events do.
	srv.RegisterOnShutdown(set.Events.Close)
	go housekeeping(ctx, db, log)
	// The overdue job (限时办结) runs in every instance; each case is
	// marked once however many run it.
	go set.Cases.RunOverdue(ctx, 30*time.Second, log)
	// Default ratings, for units that turned them on: not urgent.
	go set.Ratings.RunDefaults(ctx, 10*time.Minute, log)
	// The daily to-do summary: once per unit and day, whichever server
	// gets there first.
	go set.Todo.RunReminders(ctx, 10*time.Minute, log)
	fmt.Fprintf(env.Stdout, "wuliang: listening on http://%s\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// housekeeping purges expired sessions, old login attempts and stale roster
// uploads. Each statement is idempotent, so several instances may run it.
func housekeeping(ctx context.Context, db *database.DB, log interface{ Warn(string, ...any) }) {
	acc, uploads := accounts.NewStore(db), roster.NewUploads(db)
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		if err := acc.Purge(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: sessions", "err", err)
		}
		if err := uploads.Purge(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: uploads", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
