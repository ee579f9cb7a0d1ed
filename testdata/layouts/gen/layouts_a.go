package main

// The layouts, in folder order. Content is invented; each layout keeps the
// structure of the published plan its README names.
func layouts() []layout {
	return []layout{
		plan2012(), ofstedILACS(), cqcMustShould(), auditTracker(), scrutinyTracker(), peerChallenge(),
		sendWSOA(), schoolImprovement(), corporateMilestones(), fireHMICFRS(), consolidatedReviews(),
		policeHMICFRS(), keyActionPlan(),
	}
}

// RAG fills.
const (
	red   = "FF0000"
	amber = "FFC000"
	green = "00B050"
	blue  = "0070C0"
	grey  = "D9D9D9"
)

// ---------------------------------------------------------------------------
// 01: the 2012 improvement plan (shared/seeds/improvement-plan-2012-10.txt).

func plan2012() layout {
	type rec struct {
		no, text string
		phase    string // a phase row above the recommendation
		acts     []act
	}
	recs := []rec{
		{no: "1", text: "Ensure that the quality of social work to safeguard children is of a consistently high standard", acts: []act{
			{id: "a01", ref: "1.1", text: "Secure a permanent workforce with the experience and skills to carry out the full range of statutory work", owner: "Joanna Freeman", lead: "Joanna Freeman"},
			{id: "a02", ref: "1.2", text: "Agree the learning and development priorities for September 2012 to March 2013 and launch the programme at the staff conference", owner: "Martin Oduya", lead: "Martin Oduya"},
			{id: "a03", ref: "1.3", text: "Revise the quality assurance framework, implement it and devise practice standards", owner: "Martin Oduya", lead: "Martin Oduya"},
		}},
		{no: "2", text: "Ensure that work to safeguard children is supported by regular, high quality supervision by managers", acts: []act{
			{id: "a04", ref: "2.1", text: "Make the frequency of supervision comply with the Supervision Policy, with a greater focus on the child and more challenge of practice", owner: "Martin Oduya", lead: "Martin Oduya"},
			{id: "a05", ref: "2.2", text: "Apply supervision standards that track actions from one supervision to the next and evaluate the impact on the child", owner: "Martin Oduya and Claire Booth", lead: "Martin Oduya|Claire Booth"},
			{id: "a06", text: "Record all work on the case management system in line with the recording procedure and train every member of staff", owner: "Claire Booth", lead: "Claire Booth"},
		}},
		{no: "3", phase: "WITHIN THREE MONTHS", text: "Ensure that core groups are held regularly, with all relevant agencies, and that they implement the child protection plan", acts: []act{
			{id: "a07", ref: "3.1", text: "Improve the regularity and multi-agency attendance of core group meetings, with minutes taken at every initial core group", owner: "Joanna Freeman", lead: "Joanna Freeman"},
			{id: "a08", ref: "3.2", text: "Write to partner agencies setting out their responsibility to attend core group meetings and monitor attendance", owner: "Joanna Freeman\nPaul Seddon", lead: "Joanna Freeman|Paul Seddon"},
		}},
		{no: "4", text: "Ensure that service users know how to complain and that lessons from complaints inform service development", acts: []act{
			{id: "a09", ref: "4.1", text: "Publicise the complaints process, including the advocacy service, to all children looked after and care leavers", owner: "Claire Booth", lead: "Claire Booth"},
			{id: "a10", ref: "4.2", text: "Report the lessons learnt from comments, compliments and complaints to the management team each quarter", owner: "Claire Booth", lead: "Claire Booth"},
			{id: "a11", ref: "4.3", text: "Review the letters sent to children looked after so that they explain complaints and advocacy plainly", owner: "Paul Seddon", lead: "Paul Seddon"},
		}},
	}
	header := []string{"No.", "Rec.", "Action", "Progress", "Impact", "What do we still need to do", "Cost", "Lead person responsible"}
	return layout{
		dir:      "01-improvement-plan-2012",
		quarters: []quarter{{file: "2012-10 improvement plan.xlsx", asOf: "2012-10-31"}},
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Improvement Plan", 6, 7, 45, 50, 35, 45, 16, 20)
			s.add(kindTitle, cell{v: "Children's Services Improvement Plan: progress at October 2012", bold: true, across: 7})
			s.add(kindHeader, hdrs(header...)...)
			n := 0
			for ri, r := range recs {
				if r.phase != "" {
					s.add(kindHeading, e(), bd(r.phase))
				}
				if ri == 2 {
					// The table was copied from Word: the header repeats at a page break.
					s.add(kindRepeat, hdrs(header...)...)
				}
				s.add(kindRec, bd(r.no), cell{v: r.text, bold: true, wrap: true, across: 1}, e())
				for _, a := range r.acts {
					n++
					s.action([]truth{a.truth(q, "none shown: the plan has no status or completion column")}, e(), t(a.ref), t(a.text),
						t("Work under way; see the notes of the Improvement Board for detail."),
						t("Improved consistency and quality of frontline practice"),
						t("Finalise by the end of November 2012 and report to the Improvement Board."),
						t("Within existing resources"), t(a.owner))
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 02: an Ofsted children's services improvement plan (No., Ofsted Para No,
// Area for Improvement, Lead, Action, By When, Progress, R/A/G, Monitoring).

func ofstedILACS() layout {
	type area struct {
		no, para, text string
		acts           []act
		steps          map[string][2]string // after action id: step text and its date
	}
	areas := []area{
		{no: "1.", para: "17. (57, 138)", text: "Ensure that caseloads in children in need and looked after children's teams remain manageable", acts: []act{
			{id: "a01", text: "Keep caseloads in the children in need and looked after children teams at an average of 16 to 18 children per social worker",
				owner: "Assistant Director, Safeguarding and Family Support", lead: "Assistant Director, Safeguarding and Family Support",
				when: []string{"Ongoing"}, target: []string{"vague"}, status: []string{"A", "G"}, done: []bool{false}},
			{id: "a02", text: "Produce a weekly caseload report for the Heads of Service meeting",
				owner: "Head of Service MASH/SA", lead: "Head of Service MASH/SA",
				when: []string{"31.10.16", "Complete"}, target: []string{"2016-10-31", "vague"}, status: []string{"A", "G"}, done: []bool{false, true}},
		}},
		{no: "2.", para: "25.", text: "Improve the timeliness of initial health assessments for children who become looked after", acts: []act{
			{id: "a03", text: "Agree a revised health assessment pathway with the community paediatric service",
				owner: "Designated Nurse for Looked After Children", lead: "Designated Nurse for Looked After Children",
				when: []string{"End of Feb 17", "End of Apr 17", "Complete"}, target: []string{"2017-02-28", "2017-04-30", "vague"},
				status: []string{"A", "R", "G"}, done: []bool{false, false, true}},
			{id: "a04", text: "Audit the timeliness of initial health assessments and report to the Corporate Parenting Board",
				owner: "Head of Looked After Children Service / Designated Doctor", lead: "Head of Looked After Children Service|Designated Doctor",
				when: []string{"Monthly from March 2017"}, target: []string{"vague"}, status: []string{"A", "G"}, done: []bool{false}},
		}, steps: map[string][2]string{"a03": {"– draft pathway shared with the clinical commissioning group", "Dec 16"}}},
		{no: "3.", para: "31. (88)", text: "Strengthen management oversight of assessments and plans", acts: []act{
			{id: "a05", text: "Introduce an audit tool that records management oversight on every assessment",
				owner: "Principal Social Worker", lead: "Principal Social Worker",
				when: []string{"Q3 2016/17", "Q1 2017/18", "Complete"}, target: []string{"2016-12-31", "2017-06-30", "vague"},
				status: []string{"A", "A", "G"}, done: []bool{false, false, true}},
			{id: "a06", text: "Train all team managers in recording management decisions on the child's record",
				owner: "Service Manager, Quality Assurance", lead: "Service Manager, Quality Assurance",
				owner2: "Principal Social Worker", lead2: "Principal Social Worker", ownerAt: 1,
				when: []string{"31.01.17", "31.03.17"}, target: []string{"2017-01-31", "2017-03-31"},
				status: []string{"A", "R"}, done: []bool{false}},
			{id: "a07", text: "Review the supervision policy so that it sets out the frequency and recording of case discussions",
				owner: "Principal Social Worker", lead: "Principal Social Worker",
				when: []string{"30.11.16", "Complete"}, target: []string{"2016-11-30", "vague"},
				status: []string{"A", "G"}, done: []bool{false, true}, to: 1},
		}},
		{no: "4.", para: "40.", text: "Ensure that care leavers know their entitlements", acts: []act{
			{id: "a08", text: "Publish the local offer for care leavers on the council's website and in print",
				owner: "Head of Service, Care Leavers", lead: "Head of Service, Care Leavers",
				when: []string{"31.03.17", "31.03.17", "Complete"}, target: []string{"2017-03-31", "2017-03-31", "vague"},
				status: []string{"A", "A", "G"}, done: []bool{false, false, true}},
			{id: "a09", text: "Hold a consultation event with the Children in Care Council every quarter",
				owner: "Participation Officer", lead: "Participation Officer",
				when: []string{"Quarterly"}, target: []string{"vague"}, status: []string{"G"}, done: []bool{false}, from: 1},
		}},
	}
	ragFill := map[string]string{"R": red, "A": amber, "G": green}
	quarters := []quarter{
		{file: "2016-12 improvement plan.xlsx", asOf: "2016-12-15"},
		{file: "2017-03 improvement plan.xlsx", asOf: "2017-03-16"},
		{file: "2017-06 improvement plan.xlsx", asOf: "2017-06-15"},
	}
	return layout{
		dir: "02-ofsted-ilacs", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Improvement Plan", 5, 10, 35, 28, 45, 14, 45, 7, 40)
			s.add(kindTitle, cell{v: "OFSTED INSPECTION - IMPROVEMENT PLAN", bold: true, across: 8})
			s.add(kindNote, cell{v: "Key: Ofsted Para No refers to the paragraph of the inspection report that identifies the area for improvement. " +
				"Each area for improvement is delivered through the children's improvement programme; evidence of impact is held in the evidence library.", wrap: true, across: 8})
			s.add(kindBlank)
			s.add(kindHeader, hdrs("No.", "Ofsted Para No", "Ofsted Area for Improvement", "Lead", "Action", "By When", "Progress", "R/A/G", "Monitoring and Evaluation")...)
			for _, ar := range areas {
				var in []act
				for _, a := range ar.acts {
					if a.in(q, len(quarters)) {
						in = append(in, a)
					}
				}
				rows := len(in)
				if _, ok := ar.steps[in[0].id]; ok {
					rows++
				}
				for i, a := range in {
					c := []cell{e(), e(), e()}
					if i == 0 {
						c = []cell{t(ar.no), cell{v: ar.para, wrap: true, down: rows - 1}, cell{v: ar.text, wrap: true, down: rows - 1}}
					}
					st := pick(a.status, q)
					c = append(c, t(a.typedOwner(q)), t(a.text), a.whenCell(q),
						t(progressText(q, pick(a.done, q))), fl(ragFill[st], st),
						t("Reported monthly to the performance challenge meeting and the Safeguarding Children Board."))
					s.action([]truth{a.truth(q, "'Complete' written in the By When column")}, c...)
					if step, ok := ar.steps[a.id]; ok {
						s.add(kindStep, e(), e(), e(), e(), t(step[0]), t(step[1]))
					}
				}
			}
			return b
		},
	}
}

// progressText is an invented update for quarter q.
func progressText(q int, done bool) string {
	switch {
	case done:
		return "Complete: evidence held in the evidence library."
	case q == 0:
		return "Work has started; a first report is due to the next Improvement Board."
	case q == 1:
		return "Progress reviewed at the Improvement Board; further work agreed."
	}
	return "Continuing; the lead officer will report again next quarter."
}

// ---------------------------------------------------------------------------
// 03: a CQC action plan: Must do and Should do tabs, BRAG shown only as a
// fill colour, and the BRAG key on its own sheet (Blue = complete and
// checked by a peer inspection).

func cqcMustShould() layout {
	must := []act{
		{id: "md1", ref: "MD1", text: "Carry out and record ligature risk assessments on every ward, reviewed at least every six months",
			owner: "Matron, Acute Wards", lead: "Matron, Acute Wards", when: []string{"@2017-07-31"}, status: []string{"A", "G", "B"}, done: []bool{false, true}},
		{id: "md2", ref: "MD2", text: "Ensure that staff complete mandatory training in the Mental Capacity Act to the trust's target of 90%",
			owner: "Head of Learning and Development", lead: "Head of Learning and Development", when: []string{"@2017-09-30", "@2017-12-31"},
			status: []string{"A", "R", "A"}, done: []bool{false}},
		{id: "md3", ref: "MD3", text: "Check emergency equipment and medicines weekly and record the checks",
			owner: "Ward Manager, Forest Lodge", lead: "Ward Manager, Forest Lodge", when: []string{"@2017-06-30"}, status: []string{"G", "B"}, done: []bool{true}},
		{id: "md4a", ref: "MD4a", text: "Complete care plans with patients and record their views in the plan",
			owner: "Community Team Manager (North) / Community Team Manager (South)", lead: "Community Team Manager (North)|Community Team Manager (South)",
			when: []string{"@2017-10-31"}, status: []string{"A", "A", "G"}, done: []bool{false, false, true}},
		{id: "md4b", ref: "MD4b", text: "Audit care plans monthly for evidence of patient involvement",
			owner: "Clinical Audit Lead", lead: "Clinical Audit Lead", when: []string{"TBC", "@2017-11-30"}, target: []string{"vague", ""},
			status: []string{"R", "A"}, done: []bool{false}},
	}
	should := []act{
		{id: "sd1", ref: "SD1", text: "Review the arrangements for patients' access to fresh air on the older adult wards",
			owner: "Matron, Older Adults", lead: "Matron, Older Adults", when: []string{"@2017-08-31"}, status: []string{"A", "G"}, done: []bool{false, true}},
		{id: "sd5", ref: "SD5", text: "Make information on how to complain available in accessible formats in every team base",
			owner: "Patient Experience Manager", lead: "Patient Experience Manager", when: []string{"@2017-09-30"}, status: []string{"A"}, done: []bool{false}},
		{id: "sd12", ref: "SD12", text: "Reduce the use of agency staff on night shifts on the rehabilitation ward",
			owner: "Deputy Director of Nursing", lead: "Deputy Director of Nursing", when: []string{"@2018-03-31"}, status: []string{"A", "A", "R"}, done: []bool{false}},
		{id: "sd14", ref: "SD14", text: "Record the outcome of debriefs after each use of restraint",
			owner: "Ward Manager, Forest Lodge", lead: "Ward Manager, Forest Lodge", when: []string{"@2017-12-31"}, status: []string{"A"}, done: []bool{false}, from: 1},
	}
	fills := map[string]string{"R": red, "A": amber, "G": green, "B": blue}
	quarters := []quarter{
		{file: "2017-06 CQC action plan.xlsx", asOf: "2017-06-30"},
		{file: "2017-09 CQC action plan.xlsx", asOf: "2017-09-29"},
		{file: "2017-12 CQC action plan.xlsx", asOf: "2017-12-29"},
	}
	tab := func(b *book, q int, name, kind string, acts []act) {
		s := b.sheet(name, 8, 20, 40, 45, 28, 20, 12, 8, 40)
		s.add(kindTitle, cell{v: "CQC Action Plan - Provider report: " + kind + " actions", bold: true, across: 8})
		s.add(kindNote, cell{v: "Inspection November 2016; report published 30 March 2017. See the Key sheet for BRAG ratings.", across: 8})
		s.add(kindHeader, hdrs("Ref", "Core service", "CQC requirement", "Action", "Lead", "Executive lead", "Target date", "BRAG", "Evidence of completion")...)
		for _, a := range acts {
			if !a.in(q, len(quarters)) {
				continue
			}
			st := pick(a.status, q)
			ev := ""
			if pick(a.done, q) {
				ev = "Audit results and minutes held in the CQC evidence folder."
			}
			s.action([]truth{a.truth(q, "BRAG fill colour: Green or Blue")},
				t(a.ref), t("Acute wards for adults of working age"), t("Regulation 12: safe care and treatment"), t(a.text),
				t(a.typedOwner(q)), t("Director of Nursing"), a.whenCell(q), cell{fill: fills[st]}, t(ev))
		}
	}
	return layout{
		dir: "03-cqc-must-should", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			k := b.sheet("Key", 12, 50)
			k.add(kindTitle, bd("BRAG key"))
			k.add(kindLegend, cell{fill: red}, t("Off track"))
			k.add(kindLegend, cell{fill: amber}, t("On track"))
			k.add(kindLegend, cell{fill: green}, t("Complete"))
			k.add(kindLegend, cell{fill: blue}, t("Complete and checked by a Care Standards Peer Inspection"))
			tab(b, q, "Must do", "Must do", must)
			tab(b, q, "Should do", "Should do", should)
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 04: an internal audit recommendations tracker: a section per audit whose
// numbering restarts at 1, original and revised implementation dates,
// % complete, status and date completed.

func auditTracker() layout {
	type section struct {
		name string
		acts []act
	}
	type extra struct {
		finding, priority string
		orig              string
		revised           []string
		pct               []float64
		completed         []string
	}
	secs := []section{
		{name: "Payroll 2021/22", acts: []act{
			{id: "p1", ref: "Payroll 2021/22 #1", text: "Reconcile the payroll to the general ledger every month and have the reconciliation signed off by a manager",
				owner: "Payroll Manager", lead: "Payroll Manager", status: []string{"In progress", "Implemented"}, done: []bool{false, true}},
			{id: "p2", ref: "Payroll 2021/22 #2", text: "Remove leavers from the payroll system within five working days of their leaving date",
				owner: "HR Business Partner / Payroll Manager", lead: "HR Business Partner|Payroll Manager", status: []string{"In progress"}, done: []bool{false}},
			{id: "p3", ref: "Payroll 2021/22 #3", text: "Keep evidence of authorisation for every overtime claim",
				owner: "Payroll Manager", lead: "Payroll Manager", status: []string{"Not started", "Superseded"}, done: []bool{false, true}},
		}},
		{name: "Creditors 2021/22", acts: []act{
			{id: "c1", ref: "Creditors 2021/22 #1", text: "Verify changes to suppliers' bank details by calling the supplier on a number already held",
				owner: "Head of Finance and Procurement", lead: "Head of Finance and Procurement", status: []string{"Implemented"}, done: []bool{true}},
			{id: "c2", ref: "Creditors 2021/22 #2", text: "Review the supplier master file each quarter for duplicate and dormant suppliers",
				owner: "Exchequer Manager", lead: "Exchequer Manager", status: []string{"In progress", "In progress", "Implemented"}, done: []bool{false, false, true}},
		}},
		{name: "Housing Rents 2022/23", acts: []act{
			{id: "h1", ref: "Housing Rents 2022/23 #1", text: "Apply the arrears recovery procedure consistently and record each stage on the housing system",
				owner: "Income Manager, Housing", lead: "Income Manager, Housing", status: []string{"In progress"}, done: []bool{false}, from: 1},
			{id: "h2", ref: "Housing Rents 2022/23 #2", text: "Report former tenant arrears and write-offs to the Housing Management Team each quarter",
				owner: "Director of Housing and Environmental Services", lead: "Director of Housing and Environmental Services",
				status: []string{"Not started", "In progress"}, done: []bool{false}, from: 1},
		}},
	}
	ex := map[string]extra{
		"p1": {finding: "Payroll reconciliations were not evidenced as reviewed.", priority: "High", orig: "2022-06-30", revised: []string{"2022-09-30"}, pct: []float64{0.5, 1}, completed: []string{"", "2022-09-16"}},
		"p2": {finding: "Two leavers were paid after their leaving date.", priority: "High", orig: "2022-03-31", revised: []string{"2022-07-31", "2022-10-31", "2023-01-31"}, pct: []float64{0.25, 0.5, 0.75}},
		"p3": {finding: "Overtime claims lacked evidence of approval.", priority: "Medium", orig: "2022-09-30", pct: []float64{0, 0}},
		"c1": {finding: "A change of bank details was not independently verified.", priority: "High", orig: "2022-03-31", pct: []float64{1}, completed: []string{"2022-03-25"}},
		"c2": {finding: "The supplier master file held duplicate suppliers.", priority: "Medium", orig: "2022-06-30", revised: []string{"", "2022-12-31"}, pct: []float64{0.4, 0.6, 1}, completed: []string{"", "", "2022-12-09"}},
		"h1": {finding: "Arrears cases were not progressed in line with the procedure.", priority: "Medium", orig: "2023-03-31", pct: []float64{0.2, 0.4}},
		"h2": {finding: "Former tenant arrears were not reported to management.", priority: "Low", orig: "2022-12-31", revised: []string{"", "2023-03-31"}, pct: []float64{0, 0.3}},
	}
	quarters := []quarter{
		{file: "2022-06 audit tracker.xlsx", asOf: "2022-06-30"},
		{file: "2022-09 audit tracker.xlsx", asOf: "2022-09-30"},
		{file: "2022-12 audit tracker.xlsx", asOf: "2022-12-30"},
	}
	return layout{
		dir: "04-internal-audit-tracker", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Tracker", 8, 35, 40, 9, 40, 26, 14, 14, 10, 13, 13)
			s.add(kindTitle, cell{v: "Internal Audit - Recommendations Tracker", bold: true, across: 10})
			s.add(kindNote, cell{v: "Position at " + mustDay(quarters[q].asOf).Format("2 January 2006"), across: 10})
			s.add(kindHeader, hdrs("Rec No.", "Finding", "Recommendation", "Priority", "Agreed management action", "Responsible officer",
				"Original implementation date", "Revised implementation date", "% complete", "Status", "Date completed")...)
			for _, sec := range secs {
				var in []act
				for _, a := range sec.acts {
					if a.in(q, len(quarters)) {
						in = append(in, a)
					}
				}
				if len(in) == 0 {
					continue
				}
				s.add(kindHeading, cell{v: sec.name, bold: true, fill: grey, across: 10})
				for i, a := range sec.acts {
					if !a.in(q, len(quarters)) {
						continue
					}
					x := ex[a.id]
					rev := pick(x.revised, q)
					tg := x.orig
					revCell := e()
					if rev != "" {
						tg = rev
						revCell = day(rev)
					}
					a.when = []string{"@" + tg}
					comp := e()
					if c := pick(x.completed, q); c != "" {
						comp = day(c)
					}
					tr := a.truth(q, "Status (Implemented, Superseded), % complete 100%, Date completed")
					tr.targetText = "original " + mustDay(x.orig).Format("02/01/2006")
					if rev != "" {
						tr.targetText += ", revised " + mustDay(rev).Format("02/01/2006")
					}
					s.action([]truth{tr}, t(itoa(i+1)), t(x.finding), t(a.text), t(x.priority),
						t("Agreed. "+a.text+"."), t(a.typedOwner(q)), day(x.orig), revCell, pct(pick(x.pct, q)),
						t(pick(a.status, q)), comp)
				}
			}
			return b
		},
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
