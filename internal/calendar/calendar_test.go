package calendar

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var shanghai = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// Real days of the State Council's notices for 2025 and 2026.
func TestNationalDays(t *testing.T) {
	c := National()
	cases := []struct {
		day  string
		work bool
		why  string
	}{
		{"2025-01-26", true, "Sunday made a working day before the Spring Festival"},
		{"2025-01-28", false, "Spring Festival eve, a holiday from 2025"},
		{"2025-02-04", false, "last day of the 2025 Spring Festival"},
		{"2025-02-05", true, "Wednesday after the Spring Festival"},
		{"2025-02-08", true, "Saturday made a working day"},
		{"2025-09-28", true, "Sunday made a working day before National Day"},
		{"2025-10-01", false, "National Day"},
		{"2025-10-08", false, "last day of the 2025 National Day and Mid-Autumn holiday"},
		{"2025-10-09", true, "Thursday after the holiday"},
		{"2025-10-11", true, "Saturday made a working day"},
		{"2025-10-12", false, "an ordinary Sunday"},
		{"2026-01-04", true, "Sunday made a working day after New Year"},
		{"2026-02-14", true, "Saturday made a working day before the Spring Festival"},
		{"2026-02-17", false, "Spring Festival 2026"},
		{"2026-02-23", false, "last day of the 2026 Spring Festival"},
		{"2026-02-24", true, "Tuesday after it"},
		{"2026-02-28", true, "Saturday made a working day"},
		{"2026-09-20", true, "Sunday made a working day before National Day"},
		{"2026-10-07", false, "last day of the 2026 National Day holiday"},
		{"2026-10-10", true, "Saturday made a working day"},
		{"2026-11-26", true, "an ordinary Thursday"},
		{"2026-11-28", false, "an ordinary Saturday"},
	}
	for _, tc := range cases {
		if got := c.IsWorkday(date(tc.day)); got != tc.work {
			t.Errorf("%s (%s): working day %v, want %v", tc.day, tc.why, got, tc.work)
		}
	}
	for _, y := range []int{2024, 2025, 2026, 2027} {
		if !c.Covers(y) {
			t.Errorf("no notice shipped for %d", y)
		}
	}
	if d, _ := c.Day(date("2026-10-01")); d.Source != "国务院办公厅关于2026年部分节假日安排的通知" {
		t.Errorf("source not named: %+v", d)
	}
}

func TestWorkdayArithmetic(t *testing.T) {
	c := National()
	add := []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-30", 0, "2026-09-30"},
		{"2026-09-30", 1, "2026-10-08"},
		{"2026-09-30", 3, "2026-10-10"}, // the make-up Saturday counts
		{"2026-09-30", 5, "2026-10-13"},
		{"2025-01-24", 1, "2025-01-26"}, // Friday, then the make-up Sunday
		{"2025-01-26", 1, "2025-01-27"},
		{"2025-01-27", 1, "2025-02-05"},
		{"2026-12-31", 2, "2027-01-05"},
	}
	for _, tc := range add {
		if got := c.AddWorkdays(date(tc.from), tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("%s + %d working days = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	between := []struct {
		a, b string
		want int
	}{
		{"2026-09-30", "2026-10-13", 5},
		{"2026-09-30", "2026-09-30", 0},
		// 9-28 (make-up Sunday), 9-29, 9-30, 10-9, 10-10, 10-11 (make-up Saturday)
		{"2025-09-26", "2025-10-12", 6},
	}
	for _, tc := range between {
		if got := c.Between(date(tc.a), date(tc.b)); got != tc.want {
			t.Errorf("working days after %s up to %s: %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := c.Between(date("2026-10-13"), date("2026-09-30")); got != -5 {
		t.Errorf("backwards: %d", got)
	}
}

// A case accepted at 17:45 on the day before a holiday counts as accepted
// on the first working day after the holiday.
func TestDeadlines(t *testing.T) {
	c := National()
	h := DefaultHours
	cases := []struct {
		accepted string
		n        int
		want     string
	}{
		{"2025-09-30 17:45", 0, "2025-10-09 17:30"},
		{"2025-09-30 17:45", 1, "2025-10-10 17:30"},
		{"2025-09-30 17:45", 2, "2025-10-11 17:30"}, // the make-up Saturday
		{"2025-09-30 10:00", 1, "2025-10-09 17:30"},
		{"2025-09-30 10:00", 0, "2025-09-30 17:30"},
		{"2026-02-13 17:29", 1, "2026-02-14 17:30"},
		{"2026-02-13 17:30", 1, "2026-02-24 17:30"},
		{"2026-02-15 09:00", 1, "2026-02-25 17:30"}, // accepted on a holiday
		{"2026-11-27 09:00", 20, "2026-12-25 17:30"},
	}
	for _, tc := range cases {
		if got := c.Deadline(at(tc.accepted), tc.n, h).Format("2006-01-02 15:04"); got != tc.want {
			t.Errorf("accepted %s, %d working days: due %s, want %s", tc.accepted, tc.n, got, tc.want)
		}
	}
}

func TestLocalDays(t *testing.T) {
	local := []Day{
		{Date: "2026-12-01", Kind: Off, Name: "县庆", Source: "县政府通知"},
		{Date: "2026-10-10", Kind: Off, Name: "本单位调整", Source: "中心通知"},
	}
	c := National().With(local)
	if c.IsWorkday(date("2026-12-01")) || c.IsWorkday(date("2026-10-10")) || !National().IsWorkday(date("2026-12-01")) {
		t.Fatal("local days do not lay over the national calendar, or changed it")
	}
	if got := c.AddWorkdays(date("2026-11-30"), 1).Format(time.DateOnly); got != "2026-12-02" {
		t.Fatalf("after a local day off: %s", got)
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"2026-13-01,off,x,y", "2026-01-01,maybe,x,y", "not a line", "2026/01/01,off"} {
		if _, err := ParseCSV([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	days, err := ParseCSV([]byte("# comment\n\n2028-01-01,off,元旦,国务院办公厅关于2028年部分节假日安排的通知\n"))
	if err != nil || len(days) != 1 || days[0].Name != "元旦" {
		t.Fatalf("%+v %v", days, err)
	}
	for s, want := range map[string]string{
		"8:30-17:30": "08:30-17:30", " 08:30 - 17:30 ": "08:30-17:30", "8:30~17:30": "08:30-17:30", "00:00-24:00": "00:00-24:00",
		"17:30-08:30": "", "x": "", "08:99-17:00": "", "08:30-17:30 加班": "", "-8:30-17:30": "", "08:30-24:01": "",
		"25:00-26:00": "", "+8:30-17:30": "", "8:3-17:30": "", "08:30-08:30": "",
	} {
		h, err := ParseHours(s)
		if (err == nil) != (want != "") || (err == nil && h.String() != want) {
			t.Errorf("ParseHours(%q) = %v, %v; want %q", s, h, err, want)
		}
	}
}
