package activities

// The point rules. Each turns one fact into hundredths of a point under its
// kind; caps are not applied here but when a ranking is summed, so that a
// reversal frees the room it took.

// Attendance statuses of a study session.
const (
	Present = "present" // 出席
	Late    = "late"    // 迟到
	Absent  = "absent"  // 缺席
)

// SessionPoints: a session attended earns the kind's points, a late
// arrival its late points, an absence nothing.
func SessionPoints(k Kind, status string) int {
	switch status {
	case Present:
		return k.Points
	case Late:
		return k.Extra
	}
	return 0
}

// QuantityPoints: per hour or per day, the quantity (in hundredths) times
// the points, rounded to the nearest hundredth; per item, the points times
// the number of items.
func QuantityPoints(k Kind, quantity int) int {
	switch k.Rule {
	case RuleHour, RuleDay:
		return roundDiv(quantity*k.Points, 100)
	case RuleItem:
		return k.Points * max(quantity/100, 1)
	}
	return 0
}

// PlacePoints: under the rank rule, first, second, … place earn the
// kind's place points, everyone else who took part its Extra; under the
// score rule the score (in hundredths) times the points per score point.
func PlacePoints(k Kind, place, score int) int {
	switch k.Rule {
	case RuleRank:
		if place >= 1 && place <= len(k.RankPoints) {
			return k.RankPoints[place-1]
		}
		return k.Extra
	case RuleScore:
		return roundDiv(score*k.Points, 100)
	}
	return 0
}

// roundDiv divides, rounding half away from zero.
func roundDiv(a, b int) int {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// capMonth and capYear: a cap limits what one kind adds to (or, for
// deductions, takes from) a person in a month and in a year. The year cap
// is used up month by month in order, so January's points come first.
type capper struct {
	k    Kind
	used int // this year so far, in magnitude
}

func (c *capper) count(sum int) int {
	neg := sum < 0
	if neg {
		sum = -sum
	}
	if c.k.MonthCap > 0 {
		sum = min(sum, c.k.MonthCap)
	}
	if c.k.YearCap > 0 {
		sum = max(min(sum, c.k.YearCap-c.used), 0)
	}
	c.used += sum
	if neg {
		return -sum
	}
	return sum
}
