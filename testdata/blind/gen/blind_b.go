package main

// ---------------------------------------------------------------------------
// 05: an action plan for the Information Commissioner's practice
// recommendation on Freedom of Information: Issue, Priority, Detail of
// issue and ICO target merged down over the issue's actions, then Actions,
// Action by, Deadline, Status and Comments.

func icoPracticeRec() layout {
	type issue struct {
		name, priority, detail, target string
		acts                           []act
	}
	const hig = "Head of IG/DPO"
	issues := []issue{
		{name: "FOI timescales", priority: "High",
			detail: "For the year to March 2023 the council answered 79.7% of requests within the statutory time limit.",
			target: "Put an action plan and processes in place so that 90% of requests are answered on time.", acts: []act{
				{id: "a1", text: "Create an action plan to track the actions needed to answer 90% of requests on time",
					owner: hig, lead: hig, when: []string{"10 October 2023"}, target: []string{"2023-10-10"},
					status: []string{"In progress", "Completed"}, done: []bool{false, true}},
				{id: "a2", text: "Report weekly timeliness figures to the Corporate Leadership Team",
					owner: "Information Governance Manager", lead: "Information Governance Manager",
					owner2: hig, lead2: hig, ownerAt: 2,
					when: []string{"Weekly from 1 September 2023"}, target: []string{"vague"}, status: []string{"Ongoing"}, done: []bool{false}},
			}},
		{name: "FOI timescales - service engagement", priority: "Medium",
			detail: "Staff are not always aware of the council's procedures for answering requests.",
			target: "Make sure staff are trained and aware of the procedures that comply with FOIA and the section 45 Code of Practice.", acts: []act{
				{id: "a3", text: "Run an engagement campaign in every directorate, attending each directorate and senior leadership team",
					owner: hig, lead: hig, when: []string{"7 August 2023 (to initiate campaign)"}, target: []string{"2023-08-07"},
					status: []string{"Completed"}, done: []bool{true}},
				{id: "a4", text: "Train the FOI coordinators in every directorate in the section 45 Code of Practice",
					owner: "IG Training Officer / Directorate FOI Coordinators", lead: "IG Training Officer|Directorate FOI Coordinators",
					when: []string{"@2023-09-29", "@2023-11-30"}, status: []string{"In progress", "In progress", "Completed"}, done: []bool{false, false, true}},
			}},
		{name: "Reports, targets and improvement monitoring", priority: "Urgent",
			detail: "Performance is not reported to senior managers regularly enough to drive improvement.",
			target: "Monitor performance monthly and set targets for each directorate.", acts: []act{
				{id: "a5", text: "Set targets for each directorate and publish a monthly performance dashboard",
					owner: "Head of Performance", lead: "Head of Performance",
					when: []string{"End of September 2023"}, target: []string{"2023-09-30"}, status: []string{"Not started", "Completed"}, done: []bool{false, true}},
				{id: "a6", text: "Clear the backlog of requests more than 40 working days old",
					owner: "Information Governance Manager", lead: "Information Governance Manager",
					when: []string{"31/12/2023"}, target: []string{"2023-12-31"}, status: []string{"In progress", "In progress", "Completed"}, done: []bool{false, false, true}},
				{id: "a7", text: "Replace the FOI case management system",
					owner: hig + "; Head of ICT", lead: hig + "|Head of ICT",
					when: []string{"Q1 2024/25"}, target: []string{"2024-06-30"}, status: []string{"Not started"}, done: []bool{false}, from: 1},
			}},
	}
	quarters := []quarter{
		{file: "2023-08 ICO practice recommendation action plan.xlsx", asOf: "2023-08-31"},
		{file: "2023-10 ICO practice recommendation action plan.xlsx", asOf: "2023-10-10"},
		{file: "2024-01 ICO practice recommendation action plan.xlsx", asOf: "2024-01-15"},
	}
	return layout{
		dir: "05-ico-practice-recommendation", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("PR action plan", 20, 10, 36, 36, 44, 24, 18, 13, 40)
			s.add(kindTitle, cell{v: "Action Plan for the ICO's FOI Practice Recommendation", bold: true, across: 8})
			s.add(kindNote, cell{v: "Practice recommendation issued under section 48 of the Freedom of Information Act 2000. Progress return to the ICO due 10 October 2023.", across: 8})
			s.add(kindHeader, hdrs("Issue", "Priority", "Detail of issue", "ICO target", "Actions", "Action by", "Deadline", "Status", "Comments")...)
			for _, is := range issues {
				in := present(is.acts, q, len(quarters))
				for i, a := range in {
					lead := []cell{e(), e(), e(), e()}
					if i == 0 {
						d := len(in) - 1
						lead = []cell{{v: is.name, bold: true, wrap: true, down: d}, {v: is.priority, wrap: true, down: d},
							{v: is.detail, wrap: true, down: d}, {v: is.target, wrap: true, down: d}}
					}
					s.action([]truth{a.truth(q, "Status 'Completed'")},
						append(lead, t(a.text), t(a.typedOwner(q)), a.whenCell(q), t(pick(a.status, q)), t(update(q, pick(a.done, q))))...)
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 06: an NHS equality and diversity action plan: equality objectives as
// heading rows, no ref column, Action | Lead Responsible | Outcome |
// Timescale | RAG Rating, leads as bulleted lines, and a legend on which
// Green means completed.

func ediActionPlan() layout {
	type objective struct {
		text string
		acts []act
	}
	const dwd = "Director of Workforce & Development"
	objs := []objective{
		{text: "Equality Objective 1: Better health outcomes for all", acts: []act{
			{id: "e1", text: "Identify the resource and support needed for equality compliance across the new organisation",
				owner: dwd, lead: dwd, when: []string{"April 2012"}, target: []string{"2012-04-30"}, status: []string{"Green"}, done: []bool{true},
				update: []string{"- 1 WTE Equality & Inclusion Manager appointed\n- 1 WTE Equality & Inclusion Administrator appointed"}},
			{id: "e2", text: "Publish an equality strategy with equality objectives linked to the business plan",
				owner: "- " + dwd + "\n- Equality & Inclusion Manager", lead: dwd + "|Equality & Inclusion Manager",
				when: []string{"September 2012"}, target: []string{"2012-09-30"}, status: []string{"Amber", "Green"}, done: []bool{false, true},
				update: []string{"- Strategy agreed by the Board\n- Objectives published on the website"}},
		}},
		{text: "Equality Objective 2: Improved patient access and experience", acts: []act{
			{id: "e3", text: "Carry out an equality analysis of every new or revised policy before it is approved",
				owner: "- Equality & Inclusion Manager\n- Policy authors", lead: "Equality & Inclusion Manager|Policy authors",
				when: []string{"Ongoing"}, target: []string{"vague"}, status: []string{"Amber"}, done: []bool{false},
				update: []string{"- Equality Analysis Framework in use across the organisation"}},
			{id: "e4", text: "Provide interpreting and translation services for patients at every site",
				owner: "Head of Patient Experience", lead: "Head of Patient Experience",
				when: []string{"Dec 2012", "Mar 2013"}, target: []string{"2012-12-31", "2013-03-31"}, status: []string{"Amber", "Amber", "Green"}, done: []bool{false, false, true},
				update: []string{"- Interpreting contract in place at all sites"}},
		}},
		{text: "Equality Objective 3: Empowered, engaged and well-supported staff", acts: []act{
			{id: "e5", text: "Deliver equality and diversity training to every Board member",
				owner: "Chair of Trust Board", lead: "Chair of Trust Board",
				when: []string{"July 2012"}, target: []string{"2012-07-31"}, status: []string{"Amber", "Green"}, done: []bool{false, true},
				update: []string{"- Corporate ownership of compliance"}},
			{id: "e6", text: "Monitor the workforce by protected characteristic and publish the results",
				owner: "Head of HR", lead: "Head of HR", owner2: "Workforce Information Manager", lead2: "Workforce Information Manager", ownerAt: 2,
				when: []string{"Annually (January)"}, target: []string{"vague"}, status: []string{"Amber"}, done: []bool{false},
				update: []string{"- Workforce profile published annually"}},
		}},
		{text: "Equality Objective 4: Inclusive leadership at all levels", acts: []act{
			{id: "e7", text: "Set up an Equality & Inclusion Scrutiny Committee chaired by a non-executive director",
				owner: dwd, lead: dwd, when: []string{"31/01/2013"}, target: []string{"2013-01-31"}, status: []string{"Amber", "Green"}, done: []bool{false, true}, from: 1,
				update: []string{"- Governance structure in place via the Scrutiny Committee"}},
		}},
	}
	quarters := []quarter{
		{file: "2012-06 E&D action plan.xlsx", asOf: "2012-06-29"},
		{file: "2012-12 E&D action plan.xlsx", asOf: "2012-12-14"},
		{file: "2013-03 E&D action plan.xlsx", asOf: "2013-03-28"},
	}
	return layout{
		dir: "06-equality-diversity-action-plan", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("E&D Action Plan", 48, 36, 44, 16, 12)
			s.add(kindTitle, cell{v: "EQUALITY AND DIVERSITY STRATEGY 2012 – 2013", bold: true, across: 4})
			s.add(kindTitle, cell{v: "Appendix 1: The Equality & Diversity Action Plan", bold: true, across: 4})
			s.add(kindNote, cell{v: "Version 4.3 – final version incorporating amendments agreed at the Board meeting on 22 March 2012", across: 4})
			s.add(kindLegend, bd("RAG Rating:"), fl(red, "Red – not started"), fl(amber, "Amber – in progress"), fl(green, "Green – completed"))
			s.add(kindBlank)
			s.add(kindHeader, hdrs("Action", "Lead Responsible", "Outcome", "Timescale", "RAG Rating")...)
			for _, o := range objs {
				s.add(kindObjective, cell{v: o.text, bold: true, fill: headFill, across: 4})
				for _, a := range present(o.acts, q, len(quarters)) {
					st := pick(a.status, q)
					s.action([]truth{a.truth(q, "RAG Rating 'Green', which the legend says is completed")},
						t(a.text), t(a.typedOwner(q)), t(pick(a.update, q)), a.whenCell(q), fl(ragFill[st], st))
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 07: an NHS trust's special measures action plan: a title block, a KEY of
// four coloured rows (Delivered; On Track to deliver; Some issues – narrative
// disclosure; Not on track to deliver), then sections with quality-domain
// sub-headings, and a status shown only as the key's colour.

func specialMeasures() layout {
	type group struct {
		heading string
		kind    string
		acts    []act
	}
	groups := []group{
		{heading: "Section 1: Outstanding actions from the 2013 inspection", kind: kindHeading, acts: []act{
			{id: "1.1", ref: "1.1", text: "Install locked, temperature-monitored medicine fridges on every ward", update: []string{"Medicines storage"},
				owner: "Director of Nursing", lead: "Director of Nursing", when: []string{"31st March 2015"}, target: []string{"2015-03-31"},
				status: []string{"On track", "Delivered"}, done: []bool{false, true}},
			{id: "1.2", ref: "1.2", text: "Eliminate mixed-sex accommodation breaches on the assessment units", update: []string{"Privacy and dignity"},
				owner: "Chief Operating Officer", lead: "Chief Operating Officer", when: []string{"@2015-01-09"},
				status: []string{"Delivered"}, done: []bool{true}},
		}},
		{heading: "Section 2: Concerns raised in the CQC press release (July 2014)", kind: kindHeading, acts: []act{
			{id: "2.1", ref: "2.1", text: "Track every medical outlier daily with a named consultant", update: []string{"Medical outliers"},
				owner: "Medical Director / Chief Operating Officer", lead: "Medical Director|Chief Operating Officer",
				when: []string{"Apr-15", "Jun-15"}, target: []string{"2015-04-30", "2015-06-30"}, status: []string{"On track", "Some issues", "Delivered"}, done: []bool{false, false, true}},
			{id: "2.2", ref: "2.2", text: "Train all ward staff in physical restraint and de-escalation", update: []string{"Physical restraint training"},
				owner: "Director of Workforce", lead: "Director of Workforce",
				when: []string{"30/06/2015", "30/06/2015", "30/09/2015"}, target: []string{"2015-06-30", "2015-06-30", "2015-09-30"}, status: []string{"On track", "On track", "Not on track"}, done: []bool{false}},
		}},
		{heading: "Section 3: Must do and Should do recommendations", kind: kindHeading},
		{heading: "Safe", kind: kindHeading, acts: []act{
			{id: "md1", ref: "MD1", text: "Make sure nurse staffing meets the agreed skill mix on every shift", update: []string{"Staffing"},
				owner: "Director of Nursing", lead: "Director of Nursing", when: []string{"Ongoing – monthly report to the Board"}, target: []string{"vague"},
				status: []string{"On track"}, done: []bool{false}},
			{id: "sd3", ref: "SD3", text: "Audit hand hygiene and infection control practice on every ward each month", update: []string{"Infection prevention and control"},
				owner: "Director of Infection Prevention and Control", lead: "Director of Infection Prevention and Control", when: []string{"@2015-05-29"},
				status: []string{"On track", "On track", "Delivered"}, done: []bool{false, false, true}},
		}},
		{heading: "Effective", kind: kindHeading, acts: []act{
			{id: "md4", ref: "MD4", text: "Move every adult ward to the National Early Warning Score", update: []string{"Deteriorating patients"},
				owner: "Medical Director", lead: "Medical Director", when: []string{"Q1 2015/16"}, target: []string{"2015-06-30"},
				status: []string{"Some issues", "On track"}, done: []bool{false}},
		}},
		{heading: "Well-led", kind: kindHeading, acts: []act{
			{id: "sd9", ref: "SD9", text: "Agree a governance structure from ward to board with terms of reference for each committee", update: []string{"Governance"},
				owner: "Trust Secretary", lead: "Trust Secretary", when: []string{"@2015-07-31"}, status: []string{"On track"}, done: []bool{false}, from: 1},
		}},
	}
	fills := map[string]string{"Delivered": green, "On track": yellow, "Some issues": amber, "Not on track": red}
	quarters := []quarter{
		{file: "2015-01 special measures action plan.xlsx", asOf: "2015-01-15"},
		{file: "2015-03 special measures action plan.xlsx", asOf: "2015-03-13"},
		{file: "2015-05 special measures action plan.xlsx", asOf: "2015-05-29"},
	}
	dates := []string{"15th January 2015", "13th March 2015", "29th May 2015"}
	return layout{
		dir: "07-nhs-special-measures", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Action Plan", 7, 24, 46, 26, 16, 44, 10)
			s.add(kindTitle, cell{v: "Special Measures Action Plan", bold: true, across: 6})
			s.add(kindTitle, cell{v: "Westmere Hospitals NHS Foundation Trust", bold: true, across: 6})
			s.add(kindTitle, cell{v: dates[q], across: 6})
			s.add(kindBlank)
			s.add(kindLegend, bd("KEY"))
			s.add(kindLegend, cell{fill: green}, t("Delivered"))
			s.add(kindLegend, cell{fill: yellow}, t("On Track to deliver"))
			s.add(kindLegend, cell{fill: amber}, t("Some issues – narrative disclosure"))
			s.add(kindLegend, cell{fill: red}, t("Not on track to deliver"))
			s.add(kindBlank)
			s.add(kindHeader, hdrs("Ref", "Issue", "Action", "Executive Lead", "Delivery date", "Progress and evidence", "Status")...)
			for _, g := range groups {
				s.add(g.kind, cell{v: g.heading, bold: true, fill: headFill, across: 6})
				for _, a := range present(g.acts, q, len(quarters)) {
					st := pick(a.status, q)
					s.action([]truth{a.truth(q, "Status fill colour green, which the KEY says is Delivered")},
						t(a.ref), t(pick(a.update, q)), t(a.text), t(a.typedOwner(q)), a.whenCell(q),
						t(update(q, pick(a.done, q))), cell{fill: fills[st]})
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 08: a council's climate emergency action plan update: the columns in an
// unusual order (Date due first, Ref in the middle), the theme in a column
// of its own, blank rows between themes, month-and-year dates, "Done" for
// complete, and a footnote and a status key below the table.

func climateAction() layout {
	type theme struct {
		name string
		acts []act
	}
	themes := []theme{
		{name: "Buildings and energy", acts: []act{
			{id: "be1", ref: "BE1", text: "Install solar panels on the civic centre and two leisure centres*",
				owner: "Property Services", lead: "Property Services",
				when: []string{"@2024-03-31~mmm-yy", "@2024-09-30~mmm-yy"}, status: []string{"On track", "Delayed", "Done"}, done: []bool{false, false, true},
				update: []string{"Measured by kWh generated each year"}},
			{id: "be2", ref: "BE2", text: "Replace the gas boilers in council depots with heat pumps",
				owner: "Property Services / Sustainability Team", lead: "Property Services|Sustainability Team",
				when: []string{"Sept 2024"}, target: []string{"2024-09-30"}, status: []string{"Not started", "On track"}, done: []bool{false},
				update: []string{"Gas use at depots falls to zero"}},
		}},
		{name: "Transport", acts: []act{
			{id: "tr1", ref: "TR1", text: "Switch the pool car fleet to electric vehicles",
				owner: "Fleet Manager", lead: "Fleet Manager",
				when: []string{"@2023-11-30~mmm-yy"}, status: []string{"On track", "Done"}, done: []bool{false, true},
				update: []string{"All 24 pool cars electric"}},
			{id: "tr2", ref: "TR2", text: "Install 50 public electric vehicle charge points",
				owner: "Highways & Transport", lead: "Highways & Transport",
				when: []string{"March 2025"}, target: []string{"2025-03-31"}, status: []string{"On track"}, done: []bool{false},
				update: []string{"Number of public charge points in use"}},
		}},
		{name: "Waste and resources", acts: []act{
			{id: "ws1", ref: "WS1", text: "Start weekly food waste collections for every household",
				owner: "Waste Services", lead: "Waste Services",
				when: []string{"@2023-10-31~mmm-yy"}, status: []string{"On track", "Done"}, done: []bool{false, true},
				update: []string{"Recycling rate above 50%"}},
		}},
		{name: "Community engagement", acts: []act{
			{id: "ce1", ref: "CE1", text: "Hold a climate assembly of residents and publish its recommendations",
				owner: "Sustainability Team", lead: "Sustainability Team", owner2: "Communications & Engagement", lead2: "Communications & Engagement", ownerAt: 2,
				when: []string{"Ongoing"}, target: []string{"vague"}, status: []string{"On track"}, done: []bool{false},
				update: []string{"Recommendations published and answered"}},
			{id: "ce2", ref: "CE2", text: "Publish an easy-read version of the action plan on the website",
				owner: "Communications & Engagement", lead: "Communications & Engagement",
				when: []string{"@2024-05-31~mmm-yy"}, status: []string{"Done"}, done: []bool{true}, from: 2,
				update: []string{"Easy-read version online"}},
		}},
	}
	quarters := []quarter{
		{file: "2023-06 climate action plan update.xlsx", asOf: "2023-06-30"},
		{file: "2023-12 climate action plan update.xlsx", asOf: "2023-12-15"},
		{file: "2024-06 climate action plan update.xlsx", asOf: "2024-06-28"},
	}
	return layout{
		dir: "08-climate-emergency-action-plan", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Action Plan", 10, 28, 46, 32, 6, 20, 40, 11)
			s.add(kindTitle, cell{v: "Climate Emergency Action Plan – progress update", bold: true, across: 7})
			s.add(kindNote, cell{v: "Annex A: update on the 2020 action plan. Dates due are shown as month and year.", across: 7})
			s.add(kindHeader, hdrs("Date due", "Owner", "Deliverable", "Measure of success", "Ref", "Theme", "Update", "Status")...)
			for i, th := range themes {
				if i > 0 {
					s.add(kindBlank)
				}
				for _, a := range present(th.acts, q, len(quarters)) {
					s.action([]truth{a.truth(q, "Status 'Done'")},
						a.whenCell(q), t(a.typedOwner(q)), t(a.text), t(pick(a.update, q)), t(a.ref), t(th.name),
						t(update(q, pick(a.done, q))), t(pick(a.status, q)))
				}
			}
			s.add(kindBlank)
			s.add(kindNote, cell{v: "* Dependent on external funding being secured.", across: 7})
			s.add(kindLegend, cell{v: "Status: Done = delivered; On track; Delayed = behind the date due; Not started.", across: 7})
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 09: a school's post-Ofsted action plan: the report's areas for improvement
// merged down over their actions, leads as staff roles and initials,
// "Date due" as terms, two-digit-year dates and Excel dates, the governor
// who monitors, and completion only as "Y" in "Complete? (Y/N)".

func postOfsted() layout {
	type area struct {
		text string
		acts []act
	}
	areas := []area{
		{text: "1. Leaders should ensure that the curriculum in foundation subjects is sequenced so that pupils build knowledge over time", acts: []act{
			{id: "c1", text: "Map the sequence of knowledge in history, geography and science from Reception to Year 6",
				owner: "DHT (SB)", lead: "DHT (SB)", when: []string{"30/04/24", "31/05/24"}, target: []string{"2024-04-30", "2024-05-31"},
				status: []string{"Cllr J Hale (curriculum governor)"}, done: []bool{false, true}},
			{id: "c2", text: "Train subject leaders to check how well pupils remember what they have been taught",
				owner: "HT / Subject leaders", lead: "HT|Subject leaders", when: []string{"Summer term 2024"}, target: []string{"vague"},
				status: []string{"Cllr J Hale (curriculum governor)"}, done: []bool{false, false, true}},
		}},
		{text: "2. Leaders should make sure that pupils with SEND get the support they need to access the full curriculum", acts: []act{
			{id: "s1", text: "Review every SEN support plan with parents and class teachers",
				owner: "SENCo", lead: "SENCo", owner2: "SENCo / DHT (SB)", lead2: "SENCo|DHT (SB)", ownerAt: 1,
				when: []string{"@2024-05-24"}, status: []string{"Mrs A Rahman (SEND governor)"}, done: []bool{false, false, true}},
			{id: "s2", text: "Give teaching assistants training in adapting lessons for pupils with SEND",
				owner: "SENCo", lead: "SENCo", when: []string{"July 2024", "October 2024"}, target: []string{"2024-07-31", "2024-10-31"},
				status: []string{"Mrs A Rahman (SEND governor)"}, done: []bool{false}},
		}},
		{text: "3. Leaders should raise attendance, especially for disadvantaged pupils", acts: []act{
			{id: "a1", text: "Meet the parents of every pupil whose attendance is below 90%",
				owner: "Attendance Officer", lead: "Attendance Officer", when: []string{"Half-termly"}, target: []string{"vague"},
				status: []string{"Full governing body"}, done: []bool{false}},
			{id: "a2", text: "Agree an attendance support contract with the local authority's education welfare service",
				owner: "HT", lead: "HT", when: []string{"@2024-09-30"}, status: []string{"Full governing body"}, done: []bool{false, false, true}, from: 1},
		}},
	}
	quarters := []quarter{
		{file: "2024-03 post-Ofsted action plan.xlsx", asOf: "2024-03-28"},
		{file: "2024-07 post-Ofsted action plan.xlsx", asOf: "2024-07-19"},
		{file: "2024-12 post-Ofsted action plan.xlsx", asOf: "2024-12-18"},
	}
	terms := []string{"Spring term 2024", "Summer term 2024", "Autumn term 2024"}
	return layout{
		dir: "09-school-post-ofsted", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Action plan", 38, 44, 16, 16, 18, 36, 26, 12)
			s.add(kindTitle, cell{v: "Post-Ofsted Action Plan", bold: true, across: 7})
			s.add(kindNote, cell{v: "Inspection 12-13 March 2024: Requires improvement. Reviewed by the governing body each term; this review: " + terms[q] + ".", across: 7})
			s.add(kindNote, cell{v: "HT = Headteacher; DHT = Deputy Headteacher; SENCo = Special Educational Needs Co-ordinator.", across: 7})
			s.add(kindHeader, hdrs("Area for improvement (from the report)", "Actions", "Lead", "Date due", "Resources / cost",
				"Success criteria", "Monitored by", "Complete? (Y/N)")...)
			for _, ar := range areas {
				in := present(ar.acts, q, len(quarters))
				for i, a := range in {
					first := e()
					if i == 0 {
						first = cell{v: ar.text, bold: true, wrap: true, down: len(in) - 1}
					}
					yn := "N"
					if pick(a.done, q) {
						yn = "Y"
					}
					s.action([]truth{a.truth(q, "'Y' in Complete? (Y/N)")}, first, t(a.text), t(a.typedOwner(q)), a.whenCell(q),
						t("Staff meeting time; £500 supply cover"), t("Work scrutiny and pupil voice show the change in every class"),
						t(pick(a.status, q)), t(yn))
				}
			}
			return b
		},
	}
}
