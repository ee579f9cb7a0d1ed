package main

// ---------------------------------------------------------------------------
// 09: corporate milestones: target dates as calendar quarters ("Q2 2005")
// that a note on the sheet defines, a Portfolio Holder and a Director for
// each milestone, and status words.

func corporateMilestones() layout {
	type prio struct {
		title string
		acts  []act
	}
	ps := []prio{
		{title: "Priority A: Increase the supply of affordable homes", acts: []act{
			{id: "m1", ref: "M1", text: "Adopt the affordable housing supplementary planning document (A1)", owner: "Director of Development Services|Cllr Mrs P Hardwick",
				when: []string{"Q2 2005"}, target: []string{"2005-06-30"}, status: []string{"On target", "Achieved"}, done: []bool{false, true}},
			{id: "m2", ref: "M2", text: "Agree a development partnership with two housing associations (A3) (04/05 M6)", owner: "Director of Housing and Environmental Services|Councillor T Osei",
				when: []string{"Q3 2005", "Q4 2005"}, target: []string{"2005-09-30", "2005-12-31"}, status: []string{"On target", "Behind schedule", "On target"}, done: []bool{false}},
		}},
		{title: "Priority B: Improve customer access to services", acts: []act{
			{id: "m3", ref: "M3", text: "Open the contact centre for housing and benefits enquiries (C3)", owner: "Chief Executive|Cllr R Mangan",
				when: []string{"Q3 2005"}, target: []string{"2005-09-30"}, status: []string{"On target", "On target", "Achieved"}, done: []bool{false, false, true}},
			{id: "m4", ref: "M4", text: "Publish service standards for answering letters and telephone calls (C5)", owner: "Director of Finance and Resources|Cllr R Mangan",
				when: []string{"Q2 2005", "Q3 2005"}, target: []string{"2005-06-30", "2005-09-30"}, status: []string{"Behind schedule", "Pending", "Achieved"}, done: []bool{false, false, true}},
		}},
		{title: "Priority C: A cleaner, safer district", acts: []act{
			{id: "m5", ref: "M5", text: "Extend the kerbside recycling collection to every village (D5)", owner: "Director of Housing and Environmental Services|Councillor T Osei",
				when: []string{"Q4 2005"}, target: []string{"2005-12-31"}, status: []string{"On target"}, done: []bool{false}},
			{id: "m6", ref: "M6", text: "Adopt the community safety strategy with the police and parish councils (D2)", owner: "Chief Executive|Cllr Mrs P Hardwick",
				when: []string{"Q4 2005"}, target: []string{"2005-12-31"}, status: []string{"Pending"}, done: []bool{false}, from: 1},
		}},
	}
	quarters := []quarter{
		{file: "2005-06 milestones.xlsx", asOf: "2005-06-30"},
		{file: "2005-09 milestones.xlsx", asOf: "2005-09-30"},
		{file: "2005-12 milestones.xlsx", asOf: "2005-12-16"},
	}
	return layout{
		dir: "09-corporate-milestones", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Milestones 2005-06", 6, 55, 22, 32, 11, 40, 15)
			s.add(kindTitle, cell{v: "Corporate Milestones 2005/06 - quarterly monitoring", bold: true, across: 6})
			s.add(kindNote, cell{v: "Target dates are calendar quarters: Q1 2005 means completion by 31st March 2005, Q2 2005 by 30th June 2005, " +
				"Q3 2005 by 30th September 2005 and Q4 2005 by 31st December 2005. Codes such as (A1) refer to the CPA Improvement Plan; " +
				"(04/05 M6) marks a milestone carried forward from 2004/05.", wrap: true, across: 6})
			s.add(kindHeader, hdrs("Ref", "Milestone", "Portfolio Holder", "Director", "Target date", "Progress", "Status")...)
			for _, p := range ps {
				s.add(kindHeading, cell{v: p.title, bold: true, across: 6})
				for _, a := range p.acts {
					if !a.in(q, len(quarters)) {
						continue
					}
					// owner holds "Director|Portfolio Holder"
					dir, ph := a.owner[:index(a.owner, '|')], a.owner[index(a.owner, '|')+1:]
					a.lead = a.owner
					s.action([]truth{a.truth(q, "Status 'Achieved'")},
						t(a.ref), t(a.text), t(ph), t(dir), t(pick(a.when, q)), t(progressText(q, pick(a.done, q))), t(pick(a.status, q)))
				}
			}
			return b
		},
	}
}

func index(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// ---------------------------------------------------------------------------
// 10: a fire and rescue service's HMICFRS action plan: a tab per pillar,
// a cause of concern with its recommendations above the areas for
// improvement, Action lead, Deadline, Update and Status.

func fireHMICFRS() layout {
	type group struct {
		heading string // a cause of concern or area for improvement
		acts    []act
	}
	type pillar struct {
		name   string
		groups []group
	}
	pillars := []pillar{
		{name: "Effectiveness", groups: []group{
			{heading: "Cause of concern: the service does not have an effective system to identify, review and audit premises at high risk of fire", acts: []act{
				{id: "r1", ref: "CoC R1", text: "Put in place a risk-based inspection programme with the resources to deliver it", owner: "Area Commander, Protection", lead: "Area Commander, Protection",
					when: []string{"31/03/2020", "30/06/2020"}, target: []string{"2020-03-31", "2020-06-30"}, status: []string{"On track", "On track", "Complete"}, done: []bool{false, false, true}},
				{id: "r2", ref: "CoC R2", text: "Make sure that staff who audit premises are competent and accredited", owner: "Area Commander, Protection", lead: "Area Commander, Protection",
					when: []string{"Q4 2019/20"}, target: []string{"2020-03-31"}, status: []string{"On track", "Complete"}, done: []bool{false, true}},
			}},
			{heading: "AFI 1: The service should make sure its firefighters have good access to relevant and up-to-date risk information", acts: []act{
				{id: "afi1.1", ref: "AFI 1.1", text: "Review every site-specific risk information record older than three years", owner: "Station Commander, Operational Risk", lead: "Station Commander, Operational Risk",
					when: []string{"March 2020"}, target: []string{"2020-03-31"}, status: []string{"On track", "On track", "Closed"}, done: []bool{false, false, true}},
				{id: "afi1.2", ref: "AFI 1.2", text: "Give crews mobile access to risk information on the appliance", owner: "Head of ICT / Station Commander, Operational Risk", lead: "Head of ICT|Station Commander, Operational Risk",
					when: []string{"June 2020", "September 2020"}, target: []string{"2020-06-30", "2020-09-30"}, status: []string{"Not started", "On track"}, done: []bool{false}},
			}},
		}},
		{name: "Efficiency", groups: []group{
			{heading: "AFI 4: The service should make sure it has effective measures to assess the benefits of collaboration", acts: []act{
				{id: "afi4.1", ref: "AFI 4.1", text: "Agree a framework for evaluating each collaboration with the police and ambulance service", owner: "Head of Service Development", lead: "Head of Service Development",
					when: []string{"31/01/2020", "Complete"}, target: []string{"2020-01-31", "vague"}, status: []string{"On track", "Complete"}, done: []bool{false, true}},
			}},
		}},
		{name: "People", groups: []group{
			{heading: "AFI 9: The service should improve the way it identifies and develops high-potential staff at all levels", acts: []act{
				{id: "afi9.1", ref: "AFI 9.1", text: "Launch a talent management scheme open to all staff", owner: "Head of Human Resources", lead: "Head of Human Resources",
					when: []string{"April 2020"}, target: []string{"2020-04-30"}, status: []string{"Not started", "On track"}, done: []bool{false}},
				{id: "afi9.2", ref: "AFI 9.2", text: "Publish the promotion process and the criteria for each level", owner: "Head of Human Resources", lead: "Head of Human Resources",
					when: []string{"May 2020"}, target: []string{"2020-05-31"}, status: []string{"On track"}, done: []bool{false}, from: 1},
			}},
		}},
	}
	quarters := []quarter{
		{file: "2019-12 HMICFRS action plan.xlsx", asOf: "2019-12-11"},
		{file: "2020-03 HMICFRS action plan.xlsx", asOf: "2020-03-11"},
		{file: "2020-06 HMICFRS action plan.xlsx", asOf: "2020-06-10"},
	}
	return layout{
		dir: "10-fire-hmicfrs", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			for _, p := range pillars {
				s := b.sheet(p.name, 9, 50, 30, 14, 45, 13)
				s.add(kindTitle, cell{v: "HMICFRS Inspection 2019 - Action Plan: " + p.name, bold: true, across: 5})
				s.add(kindHeader, hdrs("Ref", "Action", "Action lead", "Deadline", "Update", "Status")...)
				for _, g := range p.groups {
					s.add(kindHeading, cell{v: g.heading, bold: true, fill: "FCE4D6", across: 5})
					for _, a := range g.acts {
						if !a.in(q, len(quarters)) {
							continue
						}
						s.action([]truth{a.truth(q, "Status 'Complete' or 'Closed'")},
							t(a.ref), t(a.text), t(a.typedOwner(q)), t(pick(a.when, q)), t(progressText(q, pick(a.done, q))), t(pick(a.status, q)))
					}
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 11: a consolidated action plan for several external reviews: a summary
// tab, then a tab per review; one Lead column naming a councillor and an
// officer together.

func consolidatedReviews() layout {
	type review struct {
		tab, title string
		acts       []act
	}
	reviews := []review{
		{tab: "PIR 2022", title: "Public Interest Report 2022", acts: []act{
			{id: "pir1", ref: "PIR 1", text: "Adopt a capital strategy that limits borrowing for commercial property", owner: "Cllr R Okafor / Chief Finance Officer", lead: "Cllr R Okafor|Chief Finance Officer",
				when: []string{"Complete"}, target: []string{"vague"}, status: []string{"Blue"}, done: []bool{true}},
			{id: "pir2", ref: "PIR 2", text: "Train all members of the Audit Committee in treasury management", owner: "Head of Corporate Governance", lead: "Head of Corporate Governance",
				when: []string{"30 June 2025"}, target: []string{"2025-06-30"}, status: []string{"Green"}, done: []bool{false}},
		}},
		{tab: "CIPFA 2023", title: "CIPFA Capital Assurance Review 2023", acts: []act{
			{id: "cip1", ref: "CIPFA 1", text: "Set up a capital programme board with terms of reference", owner: "Chief Finance Officer and Head of Corporate Governance", lead: "Chief Finance Officer|Head of Corporate Governance",
				when: []string{"Q2 2025/26"}, target: []string{"2025-09-30"}, status: []string{"Amber"}, done: []bool{false}},
			{id: "cip2", ref: "CIPFA 2", text: "Review the business case of each commercial asset", owner: "Group Head Commissioning\nCllr D Price", lead: "Group Head Commissioning|Cllr D Price",
				when: []string{"TBC"}, target: []string{"vague"}, status: []string{"Red"}, done: []bool{false}},
		}},
		{tab: "LGA CPC 2023", title: "LGA Corporate Peer Challenge follow-up 2023", acts: []act{
			{id: "cpc1", ref: "CPC 1", text: "Agree a single corporate plan with measurable priorities", owner: "Chief Executive / Leader of the Council", lead: "Chief Executive|Leader of the Council",
				when: []string{"By Council July 2025"}, target: []string{"2025-07-31"}, status: []string{"Amber"}, done: []bool{false}},
		}},
		{tab: "BVI 2025", title: "Best Value Inspection 2025", acts: []act{
			{id: "bvi1", ref: "BVI 1", text: "Prepare an improvement and recovery plan for approval by Council", owner: "Deputy Chief Executive", lead: "Deputy Chief Executive",
				when: []string{"@2025-07-17"}, status: []string{"Green"}, done: []bool{false}},
			{id: "bvi2", ref: "BVI 2", text: "Strengthen the finance team with two permanent senior accountants", owner: "Chief Finance Officer", lead: "Chief Finance Officer",
				when: []string{"@2025-09-30"}, status: []string{"Amber"}, done: []bool{false}},
		}},
	}
	fills := map[string]string{"Red": red, "Amber": amber, "Green": green, "Blue": blue}
	return layout{
		dir:      "11-consolidated-reviews",
		quarters: []quarter{{file: "2025-05 consolidated action plan.xlsx", asOf: "2025-05-08"}},
		build: func(q int) *book {
			b := &book{}
			sum := b.sheet("Summary", 40, 10, 10, 10, 10)
			sum.add(kindTitle, bd("Consolidated Action Plan - summary"))
			sum.add(kindHeader, hdrs("Review", "Actions", "Complete", "On track", "At risk")...)
			sum.add(kindSummary, t("Public Interest Report 2022"), cell{v: 2}, cell{v: 1}, cell{v: 1}, cell{v: 0})
			sum.add(kindSummary, t("CIPFA Capital Assurance Review 2023"), cell{v: 2}, cell{v: 0}, cell{v: 1}, cell{v: 1})
			sum.add(kindSummary, t("LGA Corporate Peer Challenge follow-up 2023"), cell{v: 1}, cell{v: 0}, cell{v: 1}, cell{v: 0})
			sum.add(kindSummary, t("Best Value Inspection 2025"), cell{v: 2}, cell{v: 0}, cell{v: 2}, cell{v: 0})
			sum.add(kindBlank)
			sum.add(kindLegend, bd("RAG key"), fl(blue, "Blue: complete"), fl(green, "Green: on track"), fl(amber, "Amber: some risk"), fl(red, "Red: off track"))
			for _, r := range reviews {
				s := b.sheet(r.tab, 9, 45, 45, 30, 16, 40, 8)
				s.add(kindTitle, cell{v: r.title, bold: true, across: 6})
				s.add(kindHeader, hdrs("Rec No.", "Recommendation", "Action", "Lead", "Target date", "Progress update", "RAG")...)
				for _, a := range r.acts {
					st := pick(a.status, q)
					s.action([]truth{a.truth(q, "RAG 'Blue' (complete, as the key on the Summary sheet says)")},
						t(a.ref), t("Recommendation from the "+r.title), t(a.text), t(a.owner), a.whenCell(q), t(progressText(q, pick(a.done, q))), fl(fills[st], st))
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 12: a police force's HMICFRS recommendations tracker: the report's name in
// a column merged down its rows, refs that restart in each report (made
// unique by the report's name), original and revised dates, and a legend in
// which Blue means "timeline reconsidered", not complete.

func policeHMICFRS() layout {
	type report struct {
		name string
		acts []act
	}
	type dates struct{ orig, revised []string }
	reports := []report{
		{name: "PEEL 2021/22", acts: []act{
			{id: "peel-afi1", ref: "PEEL 2021/22 AFI 1", text: "Make sure that repeat victims are identified when they call", owner: "Commander (Operations)", lead: "Commander (Operations)",
				status: []string{"Amber", "Green"}, done: []bool{false, true}},
			{id: "peel-afi2", ref: "PEEL 2021/22 AFI 2", text: "Improve the supervision of investigations in the volume crime unit", owner: "Det Supt, Crime", lead: "Det Supt, Crime",
				status: []string{"Amber", "Blue", "Amber"}, done: []bool{false}},
			{id: "peel-afi3", ref: "PEEL 2021/22 AFI 3", text: "Record the ethnicity of people stopped and searched in every case", owner: "Head of Strategic Planning", lead: "Head of Strategic Planning",
				status: []string{"Red", "Amber"}, done: []bool{false}},
		}},
		{name: "Custody 2022", acts: []act{
			{id: "cus-r1", ref: "Custody 2022 R1", text: "Give detainees access to fresh air and exercise", owner: "Commander (Operations)", lead: "Commander (Operations)",
				status: []string{"Red", "Blue"}, done: []bool{false}},
			{id: "cus-afi1", ref: "Custody 2022 AFI 1", text: "Check that detainees' rights are explained and recorded", owner: "Custody Inspector", lead: "Custody Inspector",
				owner2: "Chief Inspector, Custody", lead2: "Chief Inspector, Custody", ownerAt: 1, status: []string{"Green"}, done: []bool{true}},
		}},
		{name: "Fraud 2019", acts: []act{
			{id: "fr-r2", ref: "Fraud 2019 R2", text: "Publish the policy for responding to and investigating reports of fraud", owner: "Det Supt, Economic Crime", lead: "Det Supt, Economic Crime",
				status: []string{"Amber", "Green"}, done: []bool{false, true}, from: 1},
		}},
	}
	dd := map[string]dates{
		"peel-afi1": {orig: []string{"Dec 2019"}},
		"peel-afi2": {orig: []string{"31/03/2020"}, revised: []string{"", "30/06/2020"}},
		"peel-afi3": {orig: []string{"Sept 2019"}, revised: []string{"Dec 2019", "Mar 2020"}},
		"cus-r1":    {orig: []string{"31/12/2019"}, revised: []string{"", "31/12/2020"}},
		"cus-afi1":  {orig: []string{"30/09/2019"}},
		"fr-r2":     {orig: []string{"Dec 2019"}},
	}
	targets := map[string][]string{
		"peel-afi1": {"2019-12-31"},
		"peel-afi2": {"2020-03-31", "2020-06-30"},
		"peel-afi3": {"2019-12-31", "2020-03-31"},
		"cus-r1":    {"2019-12-31", "2020-12-31"},
		"cus-afi1":  {"2019-09-30"},
		"fr-r2":     {"2019-12-31"},
	}
	fills := map[string]string{"Red": red, "Amber": amber, "Green": green, "Blue": blue}
	quarters := []quarter{
		{file: "2019-09 HMICFRS tracker.xlsx", asOf: "2019-09-24"},
		{file: "2019-12 HMICFRS tracker.xlsx", asOf: "2019-12-10"},
		{file: "2020-03 HMICFRS tracker.xlsx", asOf: "2020-03-17"},
	}
	return layout{
		dir: "12-police-hmicfrs", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("HMICFRS tracker", 14, 9, 50, 26, 12, 12, 45, 9)
			s.add(kindTitle, cell{v: "HMICFRS Recommendations and Areas for Improvement - Quarterly Update", bold: true, across: 7})
			s.add(kindLegend, bd("RAG:"), fl(green, "Green - implemented and evidenced"), fl(amber, "Amber - on track"), fl(red, "Red - off track or at risk"), fl(blue, "Blue - timeline reconsidered (revised date agreed)"))
			s.add(kindBlank)
			s.add(kindHeader, hdrs("Report", "Ref", "Recommendation / AFI", "Force lead", "Original date", "Revised date", "Update", "RAG")...)
			for _, r := range reports {
				var in []act
				for _, a := range r.acts {
					if a.in(q, len(quarters)) {
						in = append(in, a)
					}
				}
				for i, a := range in {
					first := e()
					if i == 0 {
						first = cell{v: r.name, bold: true, wrap: true, down: len(in) - 1}
					}
					d := dd[a.id]
					st := pick(a.status, q)
					a.when = []string{pick(d.orig, q)}
					a.target = targets[a.id]
					tr := a.truth(q, "RAG 'Green' (implemented); Blue means a reconsidered timeline, not complete")
					rev := pick(d.revised, q)
					if rev != "" {
						tr.targetText = pick(d.orig, q) + ", revised " + rev
					}
					local := a.ref[len(r.name)+1:]
					s.action([]truth{tr}, first, t(local), t(a.text), t(a.typedOwner(q)), t(pick(d.orig, q)), t(rev),
						t(progressText(q, pick(a.done, q))), fl(fills[st], st))
				}
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 13: a corporate key action plan: corporate aims and key objectives as
// headings above the actions, status words, % complete, Date completed, a
// progress column renamed each quarter, several dates in one cell.

func keyActionPlan() layout {
	type objective struct {
		text string
		acts []act
	}
	type aim struct {
		title string
		objs  []objective
	}
	aims := []aim{
		{title: "Corporate Aim 1: Stronger communities", objs: []objective{
			{text: "Key Objective (a): To keep the district safe, clean and green", acts: []act{
				{id: "k1", ref: "1(a)(i)", text: "Introduce a new waste and recycling contract", owner: "Neighbourhoods", lead: "Neighbourhoods",
					when: []string{"Phase 1: 31/07/2016; Phase 2: 31/03/2017"}, target: []string{"2017-03-31"}, status: []string{"On target", "Under control", "On target"}, done: []bool{false}},
				{id: "k2", ref: "1(a)(ii)", text: "Review the enforcement policy for fly-tipping and littering", owner: "Neighbourhoods / Governance", lead: "Neighbourhoods|Governance",
					when: []string{"30-Sep-16"}, target: []string{"2016-09-30"}, status: []string{"On target", "Achieved"}, done: []bool{false, true}},
			}},
			{text: "Key Objective (b): To support the health and wellbeing of residents", acts: []act{
				{id: "k3", ref: "1(b)(i)", text: "Deliver the healthy lifestyles programme in the leisure centres", owner: "Communities", lead: "Communities",
					when: []string{"Monthly from March 2017"}, target: []string{"vague"}, status: []string{"Pending", "Pending", "Under control"}, done: []bool{false}},
			}},
		}},
		{title: "Corporate Aim 2: A modern, efficient council", objs: []objective{
			{text: "Key Objective (a): To deliver the council's transformation programme", acts: []act{
				{id: "k4", ref: "2(a)(i)", text: "Move customer services to the new customer relationship system", owner: "Resources", lead: "Resources",
					when: []string{"31-Dec-16", "31-Mar-17"}, target: []string{"2016-12-31", "2017-03-31"}, status: []string{"On target", "Behind schedule", "Behind schedule"}, done: []bool{false}},
				{id: "k5", ref: "2(a)(ii)", text: "Agree the accommodation strategy for the civic offices", owner: "Resources", lead: "Resources",
					when: []string{"TBC", "31-Jan-17"}, target: []string{"vague", "2017-01-31"}, status: []string{"Pending", "On target", "Achieved"}, done: []bool{false, false, true}},
				{id: "k6", ref: "2(a)(iii)", text: "Publish the workforce strategy", owner: "Resources", lead: "Resources",
					when: []string{"30-Nov-16"}, target: []string{"2016-11-30"}, status: []string{"On target"}, done: []bool{false}, from: 1},
			}},
		}},
	}
	pctOf := map[string][]float64{"k1": {0.3, 0.5, 0.7}, "k2": {0.6, 1}, "k3": {0, 0, 0.1}, "k4": {0.4, 0.5, 0.6}, "k5": {0, 0.5, 1}, "k6": {0.25, 0.5}}
	doneOn := map[string]string{"k2": "2016-09-23", "k5": "2016-12-14"}
	quarters := []quarter{
		{file: "2016-06 key action plan.xlsx", asOf: "2016-07-14"},
		{file: "2016-09 key action plan.xlsx", asOf: "2016-10-13"},
		{file: "2016-12 key action plan.xlsx", asOf: "2017-01-19"},
	}
	progressHeader := []string{"Q1 progress (April - June)", "Q2 progress (July - September)", "Q3 progress (October - December)"}
	return layout{
		dir: "13-key-action-plan", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Key Action Plan 2016-17", 10, 50, 18, 24, 16, 10, 45, 13)
			s.add(kindTitle, cell{v: "Corporate Plan - Key Action Plan 2016/17", bold: true, across: 7})
			s.add(kindHeader, hdrs("Ref", "Action", "Lead directorate", "Target date", "Status", "% complete", progressHeader[q], "Date completed")...)
			for _, am := range aims {
				s.add(kindHeading, cell{v: am.title, bold: true, fill: "FFF2CC", across: 7})
				for _, o := range am.objs {
					s.add(kindObjective, e(), bd(o.text))
					for _, a := range o.acts {
						if !a.in(q, len(quarters)) {
							continue
						}
						comp := e()
						if pick(a.done, q) {
							comp = day(doneOn[a.id])
						}
						s.action([]truth{a.truth(q, "Status 'Achieved', % complete 100%, Date completed")},
							t(a.ref), t(a.text), t(a.typedOwner(q)), t(pick(a.when, q)), t(pick(a.status, q)), pct(pick(pctOf[a.id], q)),
							t(progressText(q, pick(a.done, q))), comp)
					}
				}
			}
			return b
		},
	}
}
