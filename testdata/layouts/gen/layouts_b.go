package main

import "strings"

// ---------------------------------------------------------------------------
// 05: a scrutiny recommendation tracker: no action column (the
// recommendation is the action), a reference per municipal year, lead
// officers as initials joined by "/", a status word, and the key below the
// table.

func scrutinyTracker() layout {
	type rec struct {
		a                  act
		origin, date, area string
		exec               string
	}
	recs := []rec{
		{a: act{id: "sr01", ref: "SR (25/26) 01", text: "That the Executive bring forward a revised fees and charges policy that sets out how concessions are decided",
			owner: "DM/PL/KL", lead: "DM|PL|KL", status: []string{"Ongoing", "Complete"}, done: []bool{false, true}},
			origin: "CRP", date: "01/07/25", area: "Finance", exec: "05/08/25"},
		{a: act{id: "sr02", ref: "SR (25/26) 02", text: "That the council publish a quarterly summary of spending against the capital programme",
			owner: "DM/PL/KL", lead: "DM|PL|KL", status: []string{"Ongoing"}, done: []bool{false}},
			origin: "CRP", date: "01/07/25", area: "Finance", exec: "05/08/25"},
		{a: act{id: "sr03", ref: "SR (25/26) 03", text: "That carers be involved in the redesign of the short breaks service from the start",
			owner: "SS/LSW", lead: "SS|LSW", status: []string{"Ongoing", "Ongoing", "Complete"}, done: []bool{false, false, true}},
			origin: "PPL", date: "09/09/25", area: "ASC", exec: "14/10/25"},
		{a: act{id: "sr04", ref: "SR (25/26) 04", text: "That the Director of Public Health report back on the uptake of the NHS Health Check in each ward",
			owner: "PR/LSW", lead: "PR|LSW", owner2: "PR", lead2: "PR", ownerAt: 2, status: []string{"Ongoing", "Paused", "Ongoing"}, done: []bool{false}},
			origin: "PLC", date: "16/09/25", area: "Health", exec: "14/10/25"},
		{a: act{id: "sr19", ref: "SR (23/24) 19", text: "That the council's governance review consider the call-in arrangements for urgent decisions",
			owner: "JP/CD", lead: "JP|CD", status: []string{"Paused", "Complete"}, done: []bool{false, true}, to: 1},
			origin: "CSMC", date: "01/04/24", area: "Governance", exec: "01/05/24"},
		{a: act{id: "sr05", ref: "SR (25/26) 05", text: "That residents' parking permits be made available online with the option to pay by instalments",
			owner: "KL", lead: "KL", status: []string{"Ongoing"}, done: []bool{false}, from: 1},
			origin: "PLC", date: "20/01/26", area: "Transport", exec: "10/02/26"},
	}
	fills := map[string]string{"Complete": green, "Ongoing": amber, "Paused": red}
	quarters := []quarter{
		{file: "2025-11 scrutiny tracker.xlsx", asOf: "2025-11-17"},
		{file: "2026-03 scrutiny tracker.xlsx", asOf: "2026-03-02"},
		{file: "2026-09 scrutiny tracker.xlsx", asOf: "2026-09-14"},
	}
	return layout{
		dir: "05-scrutiny-tracker", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Tracker", 15, 8, 10, 12, 50, 10, 14, 50, 11)
			s.add(kindTitle, bd("ANNEX A"))
			s.add(kindTitle, cell{v: "Scrutiny Recommendation Tracker", bold: true, across: 8})
			s.add(kindNote, cell{v: "How each recommendation made by a scrutiny committee is progressing; please see the key below the table.", across: 8})
			s.add(kindHeader, hdrs("Reference", "Origin", "Date", "Area", "Recommendation", "Exec Date", "Lead Officer/EM", "Action taken", "Status")...)
			for _, r := range recs {
				a := r.a
				if !a.in(q, len(quarters)) {
					continue
				}
				st := pick(a.status, q)
				taken := "Summary of progress to date and the work still to do."
				if pick(a.done, q) {
					taken = "Actions identified:\n· report to Executive\n· change made\nThese actions are all complete."
				}
				s.action([]truth{a.truth(q, "Status 'Complete' (Green in the key: recommendation achieved)")},
					t(a.ref), t(r.origin), t(r.date), t(r.area), t(a.text), t(r.exec), t(a.typedOwner(q)), t(taken), fl(fills[st], st))
			}
			s.add(kindBlank)
			s.add(kindLegend, bd("Key"))
			s.add(kindLegend, t("Reference: each recommendation is given a reference showing the municipal year in which it was made."))
			s.add(kindLegend, t("Origin: CRP (Corporate Scrutiny Committee); PPL (People Scrutiny Committee); PLC (Place Scrutiny Committee); CSMC (Customer and Corporate Services Scrutiny Management Committee)."))
			s.add(kindLegend, t("Lead Officer/EM: name or initials of the lead officer and Executive Member."))
			s.add(kindLegend, t("Status:"))
			s.add(kindLegend, fl(green, "Green"), t("recommendation achieved - monitoring no longer required"))
			s.add(kindLegend, fl(amber, "Amber"), t("acceptable progress made - continue monitoring"))
			s.add(kindLegend, fl(red, "Red"), t("unacceptable progress made - lead officer to attend committee"))
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 06: an LGA corporate peer challenge action plan: Recommendation, Action,
// Timescale; several bulleted actions in one cell, and a parallel bulleted
// list of timescales in the next; "Complete" and "Ongoing" as timescales.

func peerChallenge() layout {
	type rec struct {
		ref, text string
		acts      []act
		instead   string // the Action cell when the recommendation has no actions of its own
	}
	recs := []rec{
		{ref: "R1", text: "Build a closer working relationship with the combined authority and neighbouring districts", acts: []act{
			{id: "r1a", text: "continue regular meetings of the leaders and chief executives of the county's councils", when: []string{"Ongoing"}, target: []string{"vague"}, done: []bool{false}},
			{id: "r1b", text: "agree a joint action plan informed by those discussions", when: []string{"December 2023", "December 2023", "Complete"}, target: []string{"2023-12-31", "2023-12-31", "vague"}, done: []bool{false, false, true}},
		}},
		{ref: "R2", text: "Set out a medium-term financial strategy that closes the budget gap without relying on reserves", acts: []act{
			{id: "r2a", text: "define the savings programme and the reserves policy", when: []string{"June 2023", "Complete"}, target: []string{"2023-06-30", "vague"}, done: []bool{false, true}},
			{id: "r2b", text: "identify the services to review first", when: []string{"September 2023", "November 2023"}, target: []string{"2023-09-30", "2023-11-30"}, done: []bool{false}},
			{id: "r2c", text: "report the strategy to Cabinet with the budget", when: []string{"February 2024"}, target: []string{"2024-02-29"}, done: []bool{false}},
		}},
		{ref: "R3", text: "Strengthen the links between the professional networks that support the council's improvement", instead: "To be addressed through R2, above."},
		{ref: "R4", text: "Use the council plan and its priorities to shape financial and workforce planning", acts: []act{
			{id: "r4a", text: "Cabinet and the Corporate Management Team review the council plan", when: []string{"Complete"}, target: []string{"vague"}, done: []bool{true}},
			{id: "r4b", text: "introduce new arrangements for performance reporting", when: []string{"July 2023", "Complete"}, target: []string{"2023-07-31", "vague"}, done: []bool{false, true}},
			{id: "r4c", text: "review quarterly how resources match the priorities", when: []string{"July 2023 and ongoing"}, target: []string{"2023-07-31"}, done: []bool{false}},
		}},
		{ref: "R5", text: "Make sure there is enough senior capacity to deliver the council's change programme", acts: []act{
			{id: "r5a", text: "appoint a Head of Transformation", when: []string{"September 2023", "Complete"}, target: []string{"2023-09-30", "vague"}, done: []bool{false, true}},
			{id: "r5b", text: "set up a programme board chaired by the Chief Executive", when: []string{"October 2023"}, target: []string{"2023-10-31"}, done: []bool{false}, from: 1},
		}},
	}
	quarters := []quarter{
		{file: "2023-06 peer challenge action plan.xlsx", asOf: "2023-06-20"},
		{file: "2023-09 peer challenge action plan.xlsx", asOf: "2023-09-19"},
		{file: "2023-12 peer challenge action plan.xlsx", asOf: "2023-12-12"},
	}
	return layout{
		dir: "06-peer-challenge", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("Action plan", 50, 60, 25)
			s.add(kindTitle, cell{v: "Corporate Peer Challenge: Action Plan", bold: true, across: 2})
			s.add(kindNote, cell{v: "The council accepted the peer team's recommendations and is addressing them through this plan.", across: 2})
			s.add(kindHeader, hdrs("Recommendation", "Action", "Timescale")...)
			for _, r := range recs {
				label := r.ref + ": " + r.text
				if r.instead != "" {
					s.add(kindRec, t(label), t(r.instead), e())
					continue
				}
				var acts, whens []string
				var trs []truth
				for _, a := range r.acts {
					if !a.in(q, len(quarters)) {
						continue
					}
					acts = append(acts, "• "+a.text)
					whens = append(whens, "• "+pick(a.when, q))
					trs = append(trs, a.truth(q, "'Complete' written in the Timescale column, beside the action's bullet"))
				}
				if len(trs) == 1 {
					s.action(trs, t(label), t(strings.TrimPrefix(acts[0], "• ")), t(strings.TrimPrefix(whens[0], "• ")))
					continue
				}
				s.action(trs, t(label), t(strings.Join(acts, "\n")), t(strings.Join(whens, "\n")))
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 07: a SEND Written Statement of Action: areas of weakness as headings,
// numbered objectives (1.1) with lettered actions (1.1a), unnumbered task
// rows under an action, leads as initials explained on their own sheet,
// financial-year quarters, BRAG with a legend row (Blue = complete).

func sendWSOA() layout {
	type objective struct {
		ref, text string
		acts      []act
		tasks     map[string][]string // after action id
	}
	type area struct {
		title string
		objs  []objective
	}
	areas := []area{
		{title: "Area 1: The lack of strategic planning to improve outcomes for children and young people with SEND", objs: []objective{
			{ref: "1.1", text: "Agree a joint SEND strategy across education, health and care", acts: []act{
				{id: "1.1a", ref: "1.1a", text: "Co-produce the joint SEND strategy with the parent carer forum", owner: "AN (LCC) / JR (CCG)", lead: "AN (LCC)|JR (CCG)",
					when: []string{"Q3 2018/19", "Q4 2018/19", "Complete"}, target: []string{"2018-12-31", "2019-03-31", "vague"}, status: []string{"Amber", "Amber", "Blue"}, done: []bool{false, false, true}},
				{id: "1.1b", ref: "1.1b", text: "Report progress against the strategy to the SEND Improvement Board", owner: "AN (LCC)", lead: "AN (LCC)",
					when: []string{"Termly"}, target: []string{"vague"}, status: []string{"Green"}, done: []bool{false}},
			}, tasks: map[string][]string{"1.1a": {"Task: hold three co-production workshops with parents and carers", "Task: publish the draft strategy for consultation"}}},
			{ref: "1.2", text: "Use shared data to plan provision", acts: []act{
				{id: "1.2a", ref: "1.2a", text: "Build a SEND dashboard that joins education, health and care data", owner: "MK (LCC)", lead: "MK (LCC)",
					when: []string{"By end of March 2019"}, target: []string{"2019-03-31"}, status: []string{"Amber", "Green", "Blue"}, done: []bool{false, false, true}},
			}},
		}},
		{title: "Area 2: The poor quality of Education, Health and Care plans", objs: []objective{
			{ref: "2.1", text: "Improve the quality of new EHC plans", acts: []act{
				{id: "2.1a", ref: "2.1a", text: "Introduce a multi-agency quality assurance panel for draft EHC plans", owner: "SB (LCC)", lead: "SB (LCC)",
					when: []string{"Sept 2018 and termly thereafter"}, target: []string{"2018-09-30"}, status: []string{"Green", "Blue"}, done: []bool{false, true}},
				{id: "2.1b", ref: "2.1b", text: "Train SEND officers and health practitioners in writing outcomes", owner: "SB (LCC) / DC (CCG)", lead: "SB (LCC)|DC (CCG)",
					when: []string{"Q4 2018/19", "Q1 2019/20"}, target: []string{"2019-03-31", "2019-06-30"}, status: []string{"Amber", "Red"}, done: []bool{false}},
				{id: "2.1c", ref: "2.1c", text: "Audit a sample of new EHC plans each month and share the findings", owner: "SB (LCC)", lead: "SB (LCC)",
					when: []string{"Monthly"}, target: []string{"vague"}, status: []string{"Green"}, done: []bool{false}, from: 1},
			}, tasks: map[string][]string{"2.1b": {"Task: agree the training programme with the designated clinical officer"}}},
		}},
	}
	fills := map[string]string{"Red": red, "Amber": amber, "Green": green, "Blue": blue}
	quarters := []quarter{
		{file: "2018-10 WSOA.xlsx", asOf: "2018-10-15"},
		{file: "2019-01 WSOA.xlsx", asOf: "2019-01-14"},
		{file: "2019-04 WSOA.xlsx", asOf: "2019-04-15"},
	}
	return layout{
		dir: "07-send-wsoa", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("WSOA", 7, 50, 18, 16, 40, 45, 9)
			s.add(kindTitle, cell{v: "Written Statement of Action - SEND Improvement Board", bold: true, across: 6})
			s.add(kindNote, cell{v: "This is the current version. Version control is the responsibility of the SEND programme office; please send all updates to them.", across: 6})
			s.add(kindHeader, hdrs("Ref", "Action", "Lead", "Timescale", "Success criteria / measure of impact", "Progress update", "RAG")...)
			for _, ar := range areas {
				s.add(kindHeading, cell{v: ar.title, bold: true, fill: "DDEBF7", across: 6})
				for _, o := range ar.objs {
					s.add(kindObjective, bd(o.ref), bd(o.text))
					for _, a := range o.acts {
						if !a.in(q, len(quarters)) {
							continue
						}
						st := pick(a.status, q)
						s.action([]truth{a.truth(q, "BRAG: Blue (complete), as the legend below the plan says")},
							t(a.ref), t(a.text), t(a.typedOwner(q)), a.whenCell(q),
							t("Parents report that plans reflect their child's needs"), t(progressText(q, pick(a.done, q))), fl(fills[st], st))
						for _, task := range o.tasks[a.id] {
							s.add(kindStep, e(), t(task))
						}
					}
				}
			}
			s.add(kindBlank)
			s.add(kindLegend, bd("BRAG key:"), fl(blue, "Blue - complete"), fl(green, "Green - on track"), fl(amber, "Amber - some slippage"), fl(red, "Red - significant concern"))
			d := b.sheet("Initials and designation", 12, 60)
			d.add(kindHeader, hdrs("Initials", "Designation")...)
			for _, r := range [][2]string{{"AN (LCC)", "Head of SEND Strategy, City Council"}, {"JR (CCG)", "Designated Clinical Officer, Clinical Commissioning Group"},
				{"MK (LCC)", "Performance and Intelligence Manager"}, {"SB (LCC)", "Head of SEN Assessment Service"}, {"DC (CCG)", "Children's Commissioning Manager"}} {
				d.add(kindNote, t(r[0]), t(r[1]))
			}
			return b
		},
	}
}

// ---------------------------------------------------------------------------
// 08: a school improvement plan: What? Who? How? When?, priorities as
// headings, governors' monitoring, dates tied to governing body meetings and
// terms, "Achieved" in the RAG column.

func schoolImprovement() layout {
	type priority struct {
		title string
		acts  []act
	}
	ps := []priority{
		{title: "Priority 1: Raise attainment in writing at the end of Key Stage 2", acts: []act{
			{id: "w1", text: "Introduce a whole-school approach to teaching grammar through writing", owner: "English Lead and Year 6 teachers", lead: "English Lead|Year 6 teachers",
				when: []string{"31.10.17"}, target: []string{"2017-10-31"}, status: []string{"Amber", "Achieved"}, done: []bool{false, true}},
			{id: "w2", text: "Moderate writing with the cluster schools and report the outcome to governors", owner: "HT / DHT", lead: "HT|DHT",
				when: []string{"By FGB 7 December 2017", "By FGB 15 March 2018"}, target: []string{"2017-12-07", "2018-03-15"}, status: []string{"Green", "Amber", "Achieved"}, done: []bool{false, false, true}},
			{id: "w3", text: "Run booster groups for pupils working below the expected standard", owner: "DHT", lead: "DHT",
				when: []string{"Termly"}, target: []string{"vague"}, status: []string{"Green"}, done: []bool{false}},
		}},
		{title: "Priority 2: Improve attendance of disadvantaged pupils", acts: []act{
			{id: "t1", text: "Meet the families of pupils whose attendance is below 90% and agree a plan with each", owner: "Family Support Worker and SENCo", lead: "Family Support Worker|SENCo",
				when: []string{"Half-termly"}, target: []string{"vague"}, status: []string{"Amber", "Green"}, done: []bool{false}},
			{id: "t2", text: "Review the attendance policy with governors", owner: "HT and Chair of Governors", lead: "HT|Chair of Governors",
				when: []string{"Spring 1", "Complete"}, target: []string{"vague"}, status: []string{"Green", "Achieved"}, done: []bool{false, true}},
		}},
		{title: "Priority 3: Governance", acts: []act{
			{id: "g1", text: "Complete a skills audit of the governing board and fill the gaps it shows", owner: "Chair of Governors", lead: "Chair of Governors",
				when: []string{"By FGB 7 December 2017"}, target: []string{"2017-12-07"}, status: []string{"Green", "Achieved"}, done: []bool{false, true}},
			{id: "g2", text: "Link each governor to a priority of this plan and record their visits", owner: "Clerk to Governors", lead: "Clerk to Governors",
				when: []string{"Summer term 2018"}, target: []string{"vague"}, status: []string{"Green"}, done: []bool{false}, from: 1},
		}},
	}
	fills := map[string]string{"Red": red, "Amber": amber, "Green": green, "Achieved": green}
	quarters := []quarter{
		{file: "2017-10 SIP autumn.xlsx", asOf: "2017-10-20"},
		{file: "2018-02 SIP spring.xlsx", asOf: "2018-02-09"},
		{file: "2018-05 SIP summer.xlsx", asOf: "2018-05-25"},
	}
	return layout{
		dir: "08-school-improvement", quarters: quarters,
		build: func(q int) *book {
			b := &book{}
			s := b.sheet("SIP 2017-18", 45, 22, 35, 18, 35, 30, 10)
			s.add(kindTitle, cell{v: "Oakfield Primary School - School Improvement Plan 2017-18", bold: true, across: 6})
			s.add(kindNote, cell{v: "Reviewed by the Full Governing Body (FGB) each term. RAG: Green on track, Amber some concern, Red at risk; Achieved when the success criteria are met.", across: 6})
			s.add(kindHeader, hdrs("What?", "Who?", "How?", "When?", "Success criteria", "Governor monitoring", "RAG")...)
			for _, p := range ps {
				s.add(kindHeading, cell{v: p.title, bold: true, fill: "E2EFDA", across: 6})
				for _, a := range p.acts {
					if !a.in(q, len(quarters)) {
						continue
					}
					st := pick(a.status, q)
					s.action([]truth{a.truth(q, "'Achieved' in the RAG column, or 'Complete' written in When?")},
						t(a.text), t(a.typedOwner(q)), t("Staff meeting time and INSET day"), a.whenCell(q),
						t("At least 75% of pupils reach the expected standard"), t("Link governor visit; report to FGB"), fl(fills[st], st))
				}
			}
			return b
		},
	}
}
