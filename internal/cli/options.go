// Package cli parses wuliang's command line and wires the packages together
// for each subcommand. It holds no domain logic.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"wuliang/internal/database"
)

// option is one setting: a flag with an environment variable as fallback.
// This table is the whole configuration; nothing else is read.
type option struct {
	name, env, def, usage string
	boolean               bool
}

var options = map[string]option{
	"addr":           {name: "addr", env: "WULIANG_ADDR", def: "127.0.0.1:8080", usage: "address to listen on"},
	"db":             {name: "db", env: "WULIANG_DB", def: database.DefaultDSN, usage: "database: sqlite:PATH or postgres://USER@HOST:PORT/DB"},
	"demo":           {name: "demo", env: "WULIANG_DEMO", def: "false", usage: "load the demo data set into an empty database and print the demo logins", boolean: true},
	"secure-cookies": {name: "secure-cookies", env: "WULIANG_SECURE_COOKIES", def: "false", usage: "mark cookies Secure (set when served over HTTPS)", boolean: true},
	"unit":           {name: "unit", env: "WULIANG_UNIT", usage: "unit code, e.g. demo-center"},
	"trusted-proxy":  {name: "trusted-proxy", env: "WULIANG_TRUSTED_PROXY", usage: "reverse proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For names the client, for login and public rating limits (default: none, the connection's address counts)"},
	"public-url":     {name: "public-url", env: "WULIANG_PUBLIC_URL", usage: "address the public reaches wuliang at, for QR codes on badges and cards (default: the address of each request)"},
}

// command is a subcommand's flag set bound to the options it takes.
type command struct {
	fs      *flag.FlagSet
	strings map[string]*string
	bools   map[string]*bool
}

func newCommand(name, synopsis string, stderr io.Writer, opts ...string) *command {
	c := &command{fs: flag.NewFlagSet(name, flag.ContinueOnError), strings: map[string]*string{}, bools: map[string]*bool{}}
	c.fs.SetOutput(stderr)
	for _, n := range opts {
		o := options[n]
		def := o.def
		if v, ok := os.LookupEnv(o.env); ok {
			def = v
		}
		usage := fmt.Sprintf("%s (env %s)", o.usage, o.env)
		if o.boolean {
			c.bools[n] = c.fs.Bool(n, def == "true" || def == "1", usage)
		} else {
			c.strings[n] = c.fs.String(n, def, usage)
		}
	}
	c.fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: wuliang %s\n\n", synopsis)
		c.fs.PrintDefaults()
	}
	return c
}

func (c *command) str(name string) string { return strings.TrimSpace(*c.strings[name]) }
func (c *command) flag(name string) bool  { return *c.bools[name] }
