package main

// The blind layouts, in folder order. Content is invented; each layout
// keeps the structure of the published plan its README names, and says
// there where the structure is this set's own.
func layouts() []layout {
	return []layout{
		housingC3(), agsActionPlan(), s24Recommendations(), yjsImprovement(),
		icoPracticeRec(), ediActionPlan(), specialMeasures(), climateAction(), postOfsted(),
	}
}

// Fills.
const (
	red      = "FF0000"
	amber    = "FFC000"
	green    = "00B050"
	blue     = "0070C0"
	yellow   = "FFFF00"
	grey     = "D9D9D9"
	headFill = "DDEBF7"
)

var ragFill = map[string]string{"Red": red, "Amber": amber, "Green": green, "Blue": blue}

// present is the actions of a list that are in quarter q of n.
func present(acts []act, q, n int) []act {
	var out []act
	for _, a := range acts {
		if a.in(q, n) {
			out = append(out, a)
		}
	}
	return out
}

// update is an invented progress update for quarter q.
func update(q int, done bool) string {
	switch {
	case done:
		return "Complete. Evidence held by the programme office."
	case q == 0:
		return "Work started; first milestones agreed with the lead officer."
	case q == 1:
		return "Progress reviewed at the last board; further work agreed."
	}
	return "Continuing; to be reported again next period."
}

// ---------------------------------------------------------------------------
// 01: a council's housing improvement plan in response to a C3 regulatory
// judgement from the Regulator of Social Housing: a title block of three
// rows, a merged group-heading row above the column headings, a heading row
// per consumer standard, "Officer responsible", "Target completion",
// "Current position", "RAG rating" and "Complete? (Y/N)", and notes below.

func housingC3() layout {
	type standard struct {
		name string
		acts []act
	}
	stds := []standard{
		{name: "Safety and Quality Standard", acts: []act{
			{id: "sq1", ref: "SQ1", text: "Commission stock condition surveys of every council home and load the results into the asset system",
				owner: "Head of Asset Management", lead: "Head of Asset Management",
				when: []string{"@2026-03-31"}, status: []string{"Amber", "Green"}, done: []bool{false}},
			{id: "sq2", ref: "SQ2", text: "Carry out an electrical installation condition report at every home without a valid one",
				owner: "Building Safety Manager", lead: "Building Safety Manager",
				when: []string{"Dec-25", "Mar-26"}, target: []string{"2025-12-31", "2026-03-31"}, status: []string{"Amber", "Red", "Amber"}, done: []bool{false}},
			{id: "sq3", ref: "SQ3", text: "Bring all fire risk assessment data into one compliance system and clear overdue high-risk actions",
				owner: "Building Safety Manager / Head of ICT", lead: "Building Safety Manager|Head of ICT",
				when: []string{"@2025-09-30"}, status: []string{"Green"}, done: []bool{false, true}},
			{id: "sq4", ref: "SQ4", text: "Complete water hygiene risk assessments for every communal block",
				owner: "Compliance Lead (Water & Asbestos)", lead: "Compliance Lead (Water & Asbestos)",
				when: []string{"31/08/2025", "31/10/2025"}, target: []string{"2025-08-31", "2025-10-31"}, status: []string{"Amber", "Amber", "Green"}, done: []bool{false, false, true}},
		}},
		{name: "Transparency, Influence and Accountability Standard", acts: []act{
			{id: "ti1", ref: "TI1", text: "Collect and publish the Tenant Satisfaction Measures for 2024/25",
				owner: "Head of Housing Management", lead: "Head of Housing Management",
				when: []string{"30 June 2025"}, target: []string{"2025-06-30"}, status: []string{"Green"}, done: []bool{true}},
			{id: "ti2", ref: "TI2", text: "Set up a tenant scrutiny panel with terms of reference agreed by tenants",
				owner: "Tenant Engagement Manager", lead: "Tenant Engagement Manager",
				owner2: "Head of Housing Management", lead2: "Head of Housing Management", ownerAt: 2,
				when: []string{"Q3 2025/26"}, target: []string{"2025-12-31"}, status: []string{"Green", "Amber"}, done: []bool{false}},
			{id: "ti3", ref: "TI3", text: "Publish a profile of tenants' needs and use it to shape services",
				owner: "Housing Intelligence Officer", lead: "Housing Intelligence Officer",
				when: []string{"TBC", "@2026-01-31"}, target: []string{"vague", ""}, status: []string{"Red", "Amber"}, done: []bool{false}},
			{id: "ti4", ref: "TI4", text: "Report complaints performance and learning to the Housing Improvement Board",
				owner: "Complaints Manager", lead: "Complaints Manager",
				when: []string{"Quarterly"}, target: []string{"vague"}, status: []string{"Green"}, done: []bool{false}, from: 1},
		}},
	}
	quarters := []quarter{
		{file: "2025-06 housing improvement plan.xlsx", asOf: "2025-06-30"},
		{file: "2025-09 housing improvement plan.xlsx", asOf: "2025-09-30"},
		{file: "2025-12 housing improvement plan.xlsx", asOf: "2025-12-19"},
	}
	positions := []string{"30 June 2025", "30 September 2025", "19 December 2025"}
	return layout{
		dir: "01-housing-c3-improvement", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Improvement Plan", 7, 42, 40, 34, 26, 13, 40, 10, 10)
			s.add(kindTitle, cell{v: "HOUSING IMPROVEMENT PLAN", bold: true, across: 8})
			s.add(kindTitle, cell{v: "Response to the Regulator of Social Housing's regulatory judgement (consumer grade C3)", bold: true, across: 8})
			s.add(kindNote, cell{v: "Position as at " + positions[q] + " | Reported to the Housing Improvement Board and Executive", across: 8})
			s.add(kindBlank)
			s.add(kindHeader, cell{v: "Requirement", bold: true, fill: grey, across: 1}, e(),
				cell{v: "Delivery", bold: true, fill: grey, across: 3}, e(), e(), e(),
				cell{v: "Monitoring", bold: true, fill: grey, across: 2}, e(), e())
			s.add(kindHeader, hdrs("Ref", "Consumer standard requirement", "Deliverable", "Measure of success", "Officer responsible",
				"Target completion", "Current position", "RAG rating", "Complete? (Y/N)")...)
			for _, sd := range stds {
				s.add(kindHeading, cell{v: sd.name, bold: true, fill: headFill, across: 8})
				for _, a := range present(sd.acts, q, len(quarters)) {
					st := pick(a.status, q)
					done := pick(a.done, q)
					yn := "N"
					if done {
						yn = "Y"
					}
					s.action([]truth{a.truth(q, "'Y' in Complete? (Y/N)")},
						t(a.ref), t("The landlord must meet the outcomes of the "+sd.name), t(a.text),
						t("Evidence of compliance verified by the Housing Improvement Board"), t(a.typedOwner(q)), a.whenCell(q),
						t(update(q, done)), fl(ragFill[st], st), t(yn))
				}
			}
			s.add(kindBlank)
			s.add(kindNote, cell{v: "Notes:", bold: true})
			s.add(kindLegend, cell{v: "RAG rating: Green - on track; Amber - at risk, mitigation in place; Red - off track.", across: 8})
			s.add(kindNote, cell{v: "Complete? (Y/N) is marked Y only when the evidence has been verified by the Housing Improvement Board.", across: 8})
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 02: an Annual Governance Statement action plan update: Governance Issue
// merged down its actions, Action, Update, By When, Revised date, By Whom
// (names with their job titles) and a Status whose "Achieved" is shown
// green.

func agsActionPlan() layout {
	type issue struct {
		text string
		acts []act
	}
	const rachel = "Rachel Okoro, Head of Policy and Communications"
	issues := []issue{
		{text: "Implementation of the Information Management Action Plan", acts: []act{
			{id: "im1", text: "Agree the vision and principles for information management",
				owner: rachel, lead: rachel, when: []string{"September 2014"}, target: []string{"2014-09-30"},
				status: []string{"Achieved"}, done: []bool{true}, to: 1},
			{id: "im2", text: "Create an information asset register covering every service",
				owner: rachel, lead: rachel, when: []string{"March 2015"}, revised: []string{"", "June 2015"},
				target: []string{"2015-03-31", "2015-06-30"}, status: []string{"On target", "Revised date proposed", "Achieved"}, done: []bool{false, false, true}},
			{id: "im3", text: "Publish a disclosure log of Freedom of Information responses on the website",
				owner: "Gary Lunn, Information Management Officer", lead: "Gary Lunn, Information Management Officer",
				when: []string{"31 December 2014"}, target: []string{"2014-12-31"}, status: []string{"On target", "Achieved"}, done: []bool{false, true}},
		}},
		{text: "Embedding corporate governance and identifying best practice", acts: []act{
			{id: "cg1", text: "Corporate Governance Working Group to meet quarterly, reporting to Audit Committee and CLT every six months",
				owner: rachel + " and Tom Bright, Head of Audit Partnership", lead: rachel + "|Tom Bright, Head of Audit Partnership",
				when: []string{"Quarterly meetings; reports every six months"}, target: []string{"vague"}, status: []string{"Ongoing"}, done: []bool{false}},
		}},
		{text: "A Communication and Engagement Strategy for 2015-2020 to support the Strategic Plan", acts: []act{
			{id: "ce1", text: "Draft the strategy and its action plan from the agreed strategic priorities",
				owner: "Sue Patel, Communications Manager", lead: "Sue Patel, Communications Manager",
				when: []string{"Drafted November - February;\nOverview and Scrutiny invited to review March 2015"}, target: []string{"2015-03-31"},
				status: []string{"On target", "On target", "Achieved"}, done: []bool{false, false, true}},
			{id: "ce2", text: "Adopt the strategy at Cabinet",
				owner: "Sue Patel, Communications Manager", lead: "Sue Patel, Communications Manager",
				when: []string{"@2015-04-22"}, revised: []string{"", "", "@2015-09-16"}, target: []string{"2015-04-22", "2015-04-22", "2015-09-16"},
				status: []string{"On target", "On target", "Carried forward to 2015/16"}, done: []bool{false}},
		}},
		{text: "Data protection compliance", acts: []act{
			{id: "dp1", text: "Train every member of staff who handles personal data in the revised data protection guidance",
				owner: "Gary Lunn, Information Management Officer", lead: "Gary Lunn, Information Management Officer",
				when: []string{"End of June 2015"}, target: []string{"2015-06-30"}, status: []string{"On target", "Carried forward to 2015/16"}, done: []bool{false}, from: 1},
		}},
	}
	quarters := []quarter{
		{file: "2014-11 AGS action plan update.xlsx", asOf: "2014-11-20"},
		{file: "2015-03 AGS action plan update.xlsx", asOf: "2015-03-18"},
		{file: "2015-07 AGS action plan update.xlsx", asOf: "2015-07-15"},
	}
	return layout{
		dir: "02-ags-action-plan", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("AGS Action Plan", 30, 42, 50, 22, 14, 30, 16)
			s.add(kindTitle, bd("Appendix A"))
			s.add(kindTitle, cell{v: "Annual Governance Statement 2014-15 – Action Plan Update", bold: true, across: 6})
			s.add(kindHeader, hdrs("Governance Issue", "Action", "Update", "By When", "Revised date", "By Whom", "Status")...)
			for _, is := range issues {
				in := present(is.acts, q, len(quarters))
				for i, a := range in {
					first := e()
					if i == 0 {
						first = cell{v: is.text, bold: true, wrap: true, down: len(in) - 1}
					}
					st := pick(a.status, q)
					var fill string
					if st == "Achieved" {
						fill = green
					}
					tr := a.truth(q, "Status 'Achieved' (shown green)")
					if r := pick(a.revised, q); r != "" {
						tr.targetText = "By When " + tr.targetText + ", revised " + r
					}
					s.action([]truth{tr}, first, t(a.text), t(update(q, pick(a.done, q))), a.whenCell(q),
						dateCell(pick(a.revised, q)), t(a.typedOwner(q)), fl(fill, st))
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 03: the council's response and action plan for an external auditor's
// Section 24 statutory recommendations: each recommendation ("Recommendation
// made", "Management response") merged down over its actions, "Owner
// (Director)", "Date due", "Evidence of completion" and a Status that says
// "Complete - BAU" for actions embedded as business as usual.

func s24Recommendations() layout {
	type rec struct {
		no, text, response string
		acts               []act
	}
	recs := []rec{
		{no: "R1", text: "The Council should ensure that its Medium Term Financial Strategy is underpinned by realistic, evidenced savings plans",
			response: "Accepted. The budget process for 2024/25 will test every saving for deliverability.", acts: []act{
				{id: "1.1", ref: "1.1", text: "Review every savings proposal for deliverability before the budget is set",
					owner: "Corporate Director of Resources (S151)", lead: "Corporate Director of Resources (S151)",
					when: []string{"@2023-06-30"}, status: []string{"On track", "Complete"}, done: []bool{false, true}},
				{id: "1.2", ref: "1.2", text: "Report savings delivery to Cabinet every quarter",
					owner: "Corporate Director of Resources (S151)", lead: "Corporate Director of Resources (S151)",
					when: []string{"Quarterly from July 2023"}, target: []string{"vague"}, status: []string{"On track", "Complete - BAU"}, done: []bool{false, true}},
			}},
		{no: "R2", text: "The Council should ensure that the companies it owns are governed with clear shareholder oversight",
			response: "Accepted in part: a shareholder board will be set up; company boards will be reviewed.", acts: []act{
				{id: "2.1", ref: "2.1", text: "Set up a shareholder board with terms of reference approved by Cabinet",
					owner: "Chief Executive; Monitoring Officer", lead: "Chief Executive|Monitoring Officer",
					when: []string{"31.07.23", "30.09.23"}, target: []string{"2023-07-31", "2023-09-30"}, status: []string{"On track", "Delayed", "Complete"}, done: []bool{false, false, true}},
				{id: "2.2", ref: "2.2", text: "Appoint independent non-executive directors to each company board",
					owner: "Monitoring Officer", lead: "Monitoring Officer",
					when: []string{"Q3 2023/24"}, target: []string{"2023-12-31"}, status: []string{"Not started", "On track"}, done: []bool{false}},
			}},
		{no: "R3", text: "The Council should strengthen its arrangements for responding to external audit recommendations",
			response: "Accepted.", acts: []act{
				{id: "3.1", ref: "3.1", text: "Keep a single tracker of external audit recommendations and report it to the Audit and Governance Committee",
					owner: "Director of Finance", lead: "Director of Finance",
					when: []string{"@2023-04-14"}, status: []string{"Complete"}, done: []bool{true}},
				{id: "3.2", ref: "3.2", text: "Train the members of the Audit and Governance Committee in their role",
					owner: "Director of Legal Services and Monitoring Officer", lead: "Director of Legal Services and Monitoring Officer",
					when: []string{"September 2023"}, target: []string{"2023-09-30"}, status: []string{"On track", "On track", "Complete"}, done: []bool{false, false, true}},
				{id: "3.3", ref: "3.3", text: "Publish the Council's response to each auditor's report on its website within a month",
					owner: "Director of Finance", lead: "Director of Finance",
					when: []string{"@2023-12-31"}, status: []string{"On track"}, done: []bool{false}, from: 2},
			}},
	}
	quarters := []quarter{
		{file: "2023-04 S24 action plan.xlsx", asOf: "2023-04-28"},
		{file: "2023-07 S24 action plan.xlsx", asOf: "2023-07-27"},
		{file: "2023-10 S24 action plan.xlsx", asOf: "2023-10-26"},
	}
	return layout{
		dir: "03-s24-statutory-recommendations", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("S24 Action Plan", 6, 40, 36, 6, 42, 28, 12, 34, 16)
			s.add(kindTitle, cell{v: "Section 24 Statutory Recommendations – Council response and action plan", bold: true, across: 8})
			s.add(kindTitle, cell{v: "External auditor's report to Council, March 2023", across: 8})
			s.add(kindLegend, cell{v: "Status: Complete; Complete - BAU (embedded as business as usual); On track; Delayed; Not started", across: 8})
			s.add(kindBlank)
			s.add(kindHeader, hdrs("Rec", "Recommendation made", "Management response", "Ref", "Action", "Owner (Director)", "Date due", "Evidence of completion", "Status")...)
			for _, r := range recs {
				in := present(r.acts, q, len(quarters))
				for i, a := range in {
					lead := []cell{e(), e(), e()}
					if i == 0 {
						d := len(in) - 1
						lead = []cell{{v: r.no, bold: true, wrap: true, down: d}, {v: r.text, wrap: true, down: d}, {v: r.response, wrap: true, down: d}}
					}
					ev := ""
					if pick(a.done, q) {
						ev = "Cabinet report and minutes; tracker entry closed by Internal Audit."
					}
					s.action([]truth{a.truth(q, "Status 'Complete' or 'Complete - BAU'")},
						append(lead, t(a.ref), t(a.text), t(a.typedOwner(q)), a.whenCell(q), t(ev), t(pick(a.status, q)))...)
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 04: a youth justice service's improvement plan after an HMI Probation
// inspection: the inspectorate's eight recommendations listed above the
// table, a Pillar column merged down its actions, a Start date beside the
// End date, "Links to rec." and a Status.

func yjsImprovement() layout {
	type pillar struct {
		name string
		acts []act
	}
	const sm = "Service Manager, YJS"
	pillars := []pillar{
		{name: "Governance and Leadership", acts: []act{
			{id: "1.1", ref: "1.1", text: "Refresh the Management Board's terms of reference and membership",
				owner: "Independent Chair of the Management Board", lead: "Independent Chair of the Management Board",
				start: "@2025-01-06", when: []string{"@2025-03-31"}, status: []string{"Completed"}, done: []bool{true}, update: []string{"6, 7"}},
			{id: "1.2", ref: "1.2", text: "Introduce a quarterly performance report to the Board that covers disproportionality",
				owner: sm, lead: sm, start: "@2025-01-13", when: []string{"30/06/2025"}, target: []string{"2025-06-30"},
				status: []string{"In progress", "Completed"}, done: []bool{false, true}, update: []string{"7"}},
		}},
		{name: "Staffing and Workforce Development", acts: []act{
			{id: "2.1", ref: "2.1", text: "Recruit to every vacant practitioner post",
				owner: sm + " / HR Business Partner", lead: sm + "|HR Business Partner", start: "Jan-25",
				when: []string{"Apr-25", "Jul-25"}, target: []string{"2025-04-30", "2025-07-31"},
				status: []string{"In progress", "In progress", "Completed"}, done: []bool{false, false, true}, update: []string{"6"}},
			{id: "2.2", ref: "2.2", text: "Train every practitioner in assessing risk to the child and to others",
				owner: "Practice Lead", lead: "Practice Lead", start: "@2025-02-03",
				when: []string{"@2025-05-30", "@2025-09-30"}, status: []string{"Not started", "In progress", "Completed"}, done: []bool{false, false, true}, update: []string{"1, 2"}},
		}},
		{name: "Partnership and Services", acts: []act{
			{id: "3.1", ref: "3.1", text: "Agree an education pathway so that every child open to the service has a suitable place",
				owner: "Head of Education Inclusion; " + sm, lead: "Head of Education Inclusion|" + sm, start: "@2025-02-03",
				when: []string{"September 2025"}, target: []string{"2025-09-30"}, status: []string{"In progress"}, done: []bool{false}, update: []string{"8"}},
			{id: "3.2", ref: "3.2", text: "Review the offer to victims with the police and the victim service",
				owner: "Victim Liaison Officer", lead: "Victim Liaison Officer", start: "@2025-04-01",
				when: []string{"@2025-06-30"}, status: []string{"Not started", "Overdue", "Completed"}, done: []bool{false, false, true}, update: []string{"5"}},
		}},
		{name: "Processes, Systems and Quality of Practice", acts: []act{
			{id: "4.1", ref: "4.1", text: "Launch the quality assurance framework with monthly case audits",
				owner: "Practice Lead", lead: "Practice Lead", start: "@2025-03-03",
				when: []string{"Ongoing - monthly audits"}, target: []string{"vague"}, status: []string{"In progress"}, done: []bool{false}, update: []string{"1"}},
			{id: "4.2", ref: "4.2", text: "Set local practice standards for planning, including contingency arrangements",
				owner: sm, lead: sm, start: "@2025-07-01", when: []string{"@2025-10-31"}, status: []string{"In progress"}, done: []bool{false}, from: 1, update: []string{"3, 4"}},
		}},
	}
	recs := []string{
		"1. The Service Manager should ensure that quality assurance, oversight of practice and supervision consistently support staff and volunteers.",
		"2. The Service Manager should ensure that assessing always considers how best to keep the child and the community safe.",
		"3. The Service Manager should ensure that planning is comprehensive and aligned with the work of other services.",
		"4. The Service Manager should ensure that staff liaise with all relevant services when delivering interventions.",
		"5. The Service Manager should ensure that commensurate focus is given to the needs of victims.",
		"6. The Management Board should ensure that the service is sufficiently resourced and structured.",
		"7. The Management Board should assure itself that the disproportionality action plan is used effectively across the partnership.",
		"8. The Management Board should ensure that children have access to suitable education, training and employment.",
	}
	quarters := []quarter{
		{file: "2025-03 YJS improvement plan.xlsx", asOf: "2025-03-14"},
		{file: "2025-06 YJS improvement plan.xlsx", asOf: "2025-06-30"},
		{file: "2025-09 YJS improvement plan.xlsx", asOf: "2025-09-30"},
	}
	return layout{
		dir: "04-yjs-hmip-improvement", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Improvement Plan", 22, 6, 46, 10, 30, 11, 11, 40, 13)
			s.add(kindTitle, cell{v: "Youth Justice Service – HMI Probation Inspection Improvement Plan", bold: true, across: 8})
			s.add(kindNote, cell{v: "Inspection fieldwork 9-13 September 2024; report published 3 December 2024; plan submitted to HMIP 20 December 2024.", across: 8})
			s.add(kindBlank)
			s.add(kindHeading, cell{v: "HMIP recommendations", bold: true, across: 8})
			for _, r := range recs {
				s.add(kindRec, cell{v: r, wrap: true, across: 8})
			}
			s.add(kindBlank)
			s.add(kindHeader, hdrs("Pillar", "No.", "Action", "Links to rec.", "Responsible", "Start date", "End date", "Progress narrative", "Status")...)
			for _, p := range pillars {
				in := present(p.acts, q, len(quarters))
				for i, a := range in {
					first := e()
					if i == 0 {
						first = cell{v: p.name, bold: true, wrap: true, fill: headFill, down: len(in) - 1}
					}
					tr := a.truth(q, "Status 'Completed'")
					tr.targetText = "End date " + tr.targetText + " (start " + a.start + ")"
					s.action([]truth{tr}, first, t(a.ref), t(a.text), t(pick(a.update, q)), t(a.typedOwner(q)),
						dateCell(a.start), a.whenCell(q), t(update(q, pick(a.done, q))), t(pick(a.status, q)))
				}
			}
			return b
		},
	}
}
