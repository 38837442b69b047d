// Command ratingload measures the rating path: it loads the demo into a
// fresh database, gives each rating its own case token, serves wuliang's
// real handlers on a local port from a server process of its own (as the
// bare harness it is compared with runs; -inprocess serves them beside the
// clients), and has N clients POST /api/v1/ratings for a while, as
// counter rating devices do. It prints ratings per second
// and latency percentiles, then checks that every rating answered 201 is
// in the database.
//
//	go run ./cmd/ratingload -clients 256 -seconds 20
//	go run ./cmd/ratingload -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable' -clients 64
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"wuliang/internal/api"
	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/org"
	"wuliang/internal/stores"
	"wuliang/internal/web"
)

// cpuProfile and allocProfile, when set, are where the server's CPU
// profile and the allocations made during the load go.
var cpuProfile, allocProfile string

// inProcess serves the handlers beside the clients, in one process.
var inProcess bool

func main() {
	dsn := flag.String("db", "", "database: empty for a fresh SQLite file; a postgres:// URL gets a fresh schema")
	clients := flag.Int("clients", 256, "concurrent clients")
	seconds := flag.Int("seconds", 20, "how long to send")
	cases := flag.Int("cases", 200000, "case tokens to prepare (one rating each)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the load to this file")
	allocs := flag.String("allocprofile", "", "write the allocations made during the load to this file (FILE.base holds those before it: go tool pprof -base FILE.base FILE)")
	target := flag.String("target", "", "load another server of the same API instead (e.g. http://127.0.0.1:18080, ../shared/bench/limit)")
	flag.BoolVar(&inProcess, "inprocess", false, "serve in the load's own process rather than in a server process of its own")
	serveDSN := flag.String("serve", "", "(internal) be the server process on this database")
	flag.Parse()
	cpuProfile, allocProfile = *profile, *allocs
	if *serveDSN != "" {
		if err := serve(*serveDSN); err != nil {
			fmt.Fprintln(os.Stderr, "ratingload: serve:", err)
			os.Exit(1)
		}
		return
	}
	if *target != "" {
		if err := againstTarget(*target, *clients, *seconds, *cases); err != nil {
			fmt.Fprintln(os.Stderr, "ratingload:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dsn, *clients, *seconds, *cases); err != nil {
		fmt.Fprintln(os.Stderr, "ratingload:", err)
		os.Exit(1)
	}
}

func run(dsn string, clients, seconds, n int) error {
	ctx := context.Background()
	if dsn == "" {
		dir, err := os.MkdirTemp("", "ratingload")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "load.db")
	} else {
		schema, drop, err := freshSchema(ctx, dsn)
		if err != nil {
			return err
		}
		defer drop()
		dsn = schema
	}
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, db, time.Now()); err != nil {
		return err
	}
	unit, err := org.NewStore(db).UnitByCode(ctx, "demo-center")
	if err != nil {
		return err
	}
	windows, err := org.Windows(ctx, db, unit.ID)
	if err != nil || len(windows) == 0 {
		return fmt.Errorf("ratingload: the demo unit's windows: %v", err)
	}
	key, _, err := apikeys.NewStore(db).Create(ctx, audit.Actor{Name: "ratingload"}, unit.ID,
		apikeys.Spec{Name: "ratingload", Scopes: []string{apikeys.ScopeDevice}, WindowID: windows[0].ID})
	if err != nil {
		return err
	}
	tokens, err := casetest.Tokens(ctx, db, unit.ID, 0, n)
	if err != nil {
		return err
	}
	// The cases were made a moment ago, so PostgreSQL's statistics still
	// describe the demo's few hundred until autovacuum gets to them, as it
	// has in a unit's database in use. (SQLite plans by its indexes and
	// keeps no statistics unless asked.)
	if db.Engine == database.Postgres {
		if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("ratingload: analyze: %w", err)
		}
	}
	var before int // the demo's own ratings
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE unit_id = $1`, unit.ID).Scan(&before); err != nil {
		return err
	}
	fmt.Printf("engine %s, %d clients, %d s, %d tokens ready\n", db.Engine, clients, seconds, len(tokens))
	var codes map[int]int
	if inProcess {
		codes, err = loadInProcess(db, key, tokens, clients, seconds)
	} else {
		codes, err = loadServer(dsn, key, tokens, clients, seconds)
	}
	if err != nil {
		return err
	}
	var stored int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE unit_id = $1`, unit.ID).Scan(&stored); err != nil {
		return err
	}
	if stored-before != codes[201] {
		return fmt.Errorf("%d answered 201 but %d stored", codes[201], stored-before)
	}
	fmt.Printf("every 201 is stored: %d new ratings in the database\n", stored-before)
	return nil
}

// loadInProcess serves the handlers in this process, beside the clients.
func loadInProcess(db *database.DB, key string, tokens []string, clients, seconds int) (map[int]int, error) {
	set := stores.New(db)
	defer set.Close()
	base, stop, err := serveOn(set)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := startProfiles(); err != nil {
		return nil, err
	}
	defer stopProfiles()
	return load(base, key, tokens, clients, seconds), nil
}

// loadServer runs the server in a process of its own, as a deployment
// (and the bare harness) does, so that its heap, its collector and its
// scheduler are not the load clients' too; it stops it with SIGTERM,
// which stores every rating queued before it returns.
func loadServer(dsn, key string, tokens []string, clients, seconds int) (map[int]int, error) {
	args := []string{"-serve", dsn}
	if cpuProfile != "" {
		args = append(args, "-cpuprofile", cpuProfile)
	}
	if allocProfile != "" {
		args = append(args, "-allocprofile", allocProfile)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ratingload: start the server: %w", err)
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("ratingload: the server did not start: %w", err)
	}
	codes := load("http://"+strings.TrimSpace(addr), key, tokens, clients, seconds)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("ratingload: the server: %w", err)
	}
	return codes, nil
}

// serve is the server process of loadServer: it prints its address, and
// serves until SIGTERM.
func serve(dsn string) error {
	db, err := database.Open(context.Background(), dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	set := stores.New(db)
	defer set.Close()
	base, stop, err := serveOn(set)
	if err != nil {
		return err
	}
	defer stop()
	if err := startProfiles(); err != nil {
		return err
	}
	defer stopProfiles()
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, os.Interrupt)
	fmt.Println(strings.TrimPrefix(base, "http://"))
	<-term
	return nil
}

// serveOn serves wuliang's handlers, as cmd/wuliang serve wires them, on
// a free local port.
func serveOn(set *stores.Set) (string, func(), error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site, err := web.New(set, log)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: site.Handler(api.New(set, log).Handler())}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}

// startProfiles starts the profiles asked for; stopProfiles writes them.
func startProfiles() error {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	if allocProfile != "" {
		return writeAllocs(allocProfile + ".base")
	}
	return nil
}

func stopProfiles() {
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if allocProfile != "" {
		writeAllocs(allocProfile)
	}
}

// writeAllocs writes the allocations made so far to path.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// freshSchema creates an empty schema on the PostgreSQL server for the
// run, and returns its DSN and what drops it again (runs leave no schemas
// behind to slow the next).
func freshSchema(ctx context.Context, dsn string) (string, func(), error) {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := fmt.Sprintf("ratingload_%x", b)
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		return "", nil, err
	}
	drop := func() {
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			fmt.Fprintf(os.Stderr, "ratingload: drop schema %s: %v\n", schema, err)
		}
		db.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// load has clients POST one rating per token to base for up to seconds,
// prints the rate and latencies, and returns the answers by status.
func load(base, key string, tokens []string, clients, seconds int) map[int]int {
	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	codes := map[int]int{}
	stop := time.Now().Add(time.Duration(seconds) * time.Second)
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			local := map[int]int{}
			for time.Now().Before(stop) {
				i := next.Add(1) - 1
				if int(i) >= len(tokens) {
					break
				}
				body := fmt.Sprintf(`{"token": %q, "level": %d}`, tokens[i], 5-int(i%3))
				req, _ := http.NewRequest("POST", base+"/api/v1/ratings", strings.NewReader(body))
				if key != "" {
					req.Header.Set("Authorization", "Bearer "+key)
				}
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					local[-1]++
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(t0))
				local[res.StatusCode]++
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			for k, v := range local {
				codes[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	fmt.Printf("answers %v in %.1f s: %.0f ratings/s stored; latency p50 %v, p99 %v, max %v\n",
		codes, elapsed.Seconds(), float64(codes[201])/elapsed.Seconds(), pct(0.50).Round(time.Millisecond),
		pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond))
	return codes
}

// againstTarget loads another server of the same API, such as the bare
// harness in ../shared/bench/limit: it asks it for n cases' tokens
// (POST /api/v1/cases), then rates them as run does.
func againstTarget(target string, clients, seconds, n int) error {
	tokens := make([]string, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range min(clients, 32) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				res, err := http.Post(target+"/api/v1/cases", "application/json", strings.NewReader(`{}`))
				if err != nil {
					failed.Add(1)
					continue
				}
				var c struct {
					Token string `json:"rating_token"`
				}
				json.NewDecoder(res.Body).Decode(&c)
				res.Body.Close()
				tokens[i] = c.Token
			}
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		return fmt.Errorf("ratingload: %d cases refused by %s", failed.Load(), target)
	}
	fmt.Printf("target %s, %d clients, %d s, %d tokens ready\n", target, clients, seconds, len(tokens))
	load(target, "", tokens, clients, seconds)
	return nil
}
