package scoring

var all = []Level{Person, Window, Branch}

// Indicators is the catalogue: each indicator from one fact source, for
// the levels it can be measured at. A source's adapter gives the values.
var Indicators = Catalogue{
	// 好评率: valid ratings only, a rating without a case at the unit's weight.
	"satisfaction": {Key: "satisfaction", Source: "ratings", Levels: all, Unit: "%", Measure: MeasureShare, HigherIsBetter: true},
	"bad_ratings":  {Key: "bad_ratings", Source: "ratings", Levels: all, Unit: "件", Measure: MeasureCount, AbsentIsZero: true},
	// 按时办结率: completed on time ÷ (completed + open cases already overdue).
	"on_time":         {Key: "on_time", Source: "cases", Levels: all, Unit: "%", Measure: MeasureShare, HigherIsBetter: true},
	"notice_breaches": {Key: "notice_breaches", Source: "cases", Levels: all, Unit: "件/百件", Measure: MeasurePer100, AbsentIsZero: true},
	"upheld_complaints": {Key: "upheld_complaints", Source: "feedback", Levels: all, Unit: "件", Measure: MeasureCount,
		AbsentIsZero: true},
	"commendations":     {Key: "commendations", Source: "feedback", Levels: all, Unit: "件", Measure: MeasureCount, HigherIsBetter: true, AbsentIsZero: true},
	"bad_observations":  {Key: "bad_observations", Source: "supervision", Levels: all, Unit: "件", Measure: MeasureCount, AbsentIsZero: true},
	"rectified_on_time": {Key: "rectified_on_time", Source: "ratings", Levels: all, Unit: "%", Measure: MeasureShare, HigherIsBetter: true},
	// 例会点评: the mean of the month's grades as points (优秀 100 … 差 40).
	"review_grade": {Key: "review_grade", Source: "reviews", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true, Calibratable: true},
	"five_total":   {Key: "five_total", Source: "fiveappraisal", Levels: []Level{Person}, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"five_branch":  {Key: "five_branch", Source: "fiveappraisal", Levels: []Level{Person}, Unit: "分", Measure: MeasureMean, HigherIsBetter: true, Calibratable: true},
	"five_leader":  {Key: "five_leader", Source: "fiveappraisal", Levels: []Level{Person}, Unit: "分", Measure: MeasureMean, HigherIsBetter: true, Calibratable: true},
	"democratic":   {Key: "democratic", Source: "appraisal", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	// 五比 points per dimension, per head for windows and branches.
	"points_quality":    {Key: "points_quality", Source: "activities", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"points_drive":      {Key: "points_drive", Source: "activities", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"points_dedication": {Key: "points_dedication", Source: "activities", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"points_innovation": {Key: "points_innovation", Source: "activities", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"points_conduct":    {Key: "points_conduct", Source: "activities", Levels: all, Unit: "分", Measure: MeasureMean, HigherIsBetter: true},
	"deduction_points":  {Key: "deduction_points", Source: "accountability", Levels: all, Unit: "分", Measure: MeasureCount, AbsentIsZero: true},
	"absences":          {Key: "absences", Source: "attendance", Levels: all, Unit: "次", Measure: MeasureCount, AbsentIsZero: true},
	"commitments_kept":  {Key: "commitments_kept", Source: "commitments", Levels: all, Unit: "%", Measure: MeasureShare, HigherIsBetter: true},
	"commitments_broken": {Key: "commitments_broken", Source: "commitments", Levels: all, Unit: "项", Measure: MeasureCount,
		AbsentIsZero: true},
}

// CountyScheme is the split a county service centre uses (窗口效能 30,
// 工作人员作风 30, 值班领导评价 20, 群众评价 20), with the national rules'
// minimum samples: a unit's first scheme until it writes its own.
func CountyScheme() Scheme {
	return Scheme{
		Levels: []LevelScheme{
			{Level: Window, Missing: MissingZero, Parts: []Part{
				{Indicator: "on_time", Weight: 30, Normalise: NormaliseScale, Full: 1, MinSample: 10},
				{Indicator: "review_grade", Weight: 30, Normalise: NormaliseScale, Full: 100, MinSample: 1},
				{Indicator: "democratic", Weight: 20, Normalise: NormaliseScale, Full: 100, MinSample: 1},
				{Indicator: "satisfaction", Weight: 20, Normalise: NormaliseWilson, MinSample: 30},
			},
				Bonuses:    []Adjustment{{Indicator: "commendations", PerUnit: 1, Cap: 5}},
				Deductions: []Adjustment{{Indicator: "deduction_points", PerUnit: 1, Cap: 20}, {Indicator: "upheld_complaints", PerUnit: 2, Cap: 10}},
			},
			{Level: Person, Missing: MissingZero, Parts: []Part{
				{Indicator: "on_time", Weight: 30, Normalise: NormaliseScale, Full: 1, MinSample: 5},
				{Indicator: "review_grade", Weight: 30, Normalise: NormaliseScale, Full: 100, MinSample: 1, Calibrated: true},
				{Indicator: "five_total", Weight: 20, Normalise: NormaliseScale, Full: 100, MinSample: 1},
				{Indicator: "satisfaction", Weight: 20, Normalise: NormaliseWilson, MinSample: 10},
			},
				Bonuses:    []Adjustment{{Indicator: "commendations", PerUnit: 1, Cap: 5}},
				Deductions: []Adjustment{{Indicator: "deduction_points", PerUnit: 1, Cap: 20}, {Indicator: "absences", PerUnit: 1, Cap: 10}},
			},
			{Level: Branch, Missing: MissingZero, Parts: []Part{
				{Indicator: "points_quality", Weight: 20, Normalise: NormaliseRank, MinSample: 1},
				{Indicator: "points_drive", Weight: 20, Normalise: NormaliseRank, MinSample: 1},
				{Indicator: "points_dedication", Weight: 20, Normalise: NormaliseRank, MinSample: 1},
				{Indicator: "points_innovation", Weight: 20, Normalise: NormaliseRank, MinSample: 1},
				{Indicator: "points_conduct", Weight: 20, Normalise: NormaliseRank, MinSample: 1},
			}},
		},
		Vetoes: []string{"complaint_upheld", "accountability_circular", "unrectified_very_dissatisfied", "absent_twice"},
		Tiers:  Tiers{Leading: 20, Lagging: 10},
	}
}
