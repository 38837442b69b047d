// Command wuliang is the 五亮五比五创 campaign platform. Everything it does is
// in internal/; this file only starts the command line.
package main

import (
	_ "time/tzdata" // units' time zones work on servers without a zoneinfo database

	"wuliang/internal/cli"
)

func main() { cli.Main() }
