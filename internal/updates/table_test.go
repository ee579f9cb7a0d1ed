package updates

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"papers/internal/plan"
)

// sentence is one row of the sentence table: an update as officers write
// them, and how it must be read.
type sentence struct {
	src    string // where it comes from: see sources
	update string
	target string // the action's target text, when the reading depends on it
	state  plan.UpdateState
	date   string // YYYY-MM-DD, or "" for none
	quote  string // the quote must begin with this, when given
	// neg marks a row whose reading depends on a negation: read with no
	// negation handling, it must come out otherwise (TestNegationMatters).
	neg bool
}

// sources names the table's sources.
var sources = map[string]string{
	"oct20":  "the October 2020 position statement (seeds/position-statement-2020-10.txt, data/)",
	"jan21":  "the January 2021 statement (cmd/papers/testdata) and the compare tests' hand-made one",
	"issue":  "issue 18: what the January 2021 statement's still-overdue actions say",
	"2012":   "the council's 2012 improvement plan (seeds/improvement-plan-2012-10.txt)",
	"public": "written in the style of councils' published trackers and minutes (not copied)",
	"rule":   "written for one rule of the reader",
}

const (
	done       = plan.UpdateDone
	booked     = plan.UpdateBooked
	inProgress = plan.UpdateInProgress
	postponed  = plan.UpdatePostponed
	none       = plan.UpdateNone
)

var table = []sentence{
	// The October 2020 statement, sentence by sentence.
	{src: "oct20", update: "Vision statements have been drafted and consultation with staff reference group underway.", state: inProgress},
	{src: "oct20", update: "Wider circulation to service and key stakeholders scheduled for wc 2 nd November.", state: booked}, // no year: no date
	{src: "oct20", update: "Upon completion and agreement of vision, this will be used in practice framework workshops in November 2020", state: none},
	{src: "oct20", update: "Ongoing work in progress – will be enshrined by Child friendly city, greener and fairer Southampton and city of Culture – young people are central.", state: inProgress},
	{src: "oct20", update: "The service is allocated a named communications lead and development of strategy is underway.", state: inProgress},
	{src: "oct20", update: "Service has received robust support for vision activity and recent virtual; staff conferences.", state: done},
	{src: "oct20", update: "Monthly safeguarding assurance visits are set.", state: booked},
	{src: "oct20", update: "EDCS has visited MASH and assessment.", state: done},
	{src: "oct20", update: "Leader has them in diary.", state: booked},
	{src: "oct20", update: "Will need to monitor progress in light of social distancing.", state: none},
	{src: "oct20", update: "Monthly safeguarding assurance visits are set. EDCS has visited MASH and assessment. Leader has them in diary. Will need to monitor progress in light of social distancing.",
		target: "Visits for 20/21 to be diarised by 30 th September 20", state: booked, quote: "Monthly safeguarding assurance visits are set."},
	{src: "oct20", update: "Bi-annual safeguarding assurance meeting (Sandy Hopkins, Robert Henderson and Cllr Hammond) – booked for 12/11/2020 and 12/05/2021",
		target: "Meetings to be diarised by 30 th Sept 20", state: booked, date: "2020-11-12"},
	{src: "oct20", update: "First meeting of 'Better Together' took place in October 2020.", state: done, date: "2020-10-31"},
	{src: "oct20", update: "Lead representatives established and these will be contributed to Improvement Board.", state: done},
	{src: "oct20", update: "First meeting of 'Better Together' took place in October 2020. Lead representatives established and these will be contributed to Improvement Board.",
		state: done, date: "2020-10-31", quote: "First meeting"},
	{src: "oct20", update: "Improvement Board is being reconstituted and practitioner representatives are being invited", state: inProgress},
	{src: "oct20", update: "Improvement plan was reviewed by EDCS and submitted to Ofsted on 8 th October 2020.", state: done, date: "2020-10-08"},
	{src: "oct20", update: "EDC attended restorative practice management training in October 2020 and has publicised training in the staff bulletin.", state: done, date: "2020-10-31"},
	{src: "oct20", update: ">50 managers and > 200 staff have attended training in October.", state: done}, // "October": no year
	{src: "oct20", update: "Further sessions are set and include 'trainer the trainer' course so we can embed the training model.", state: booked},
	{src: "oct20", update: "A quarterly meeting (Sandy Hopkins and Stuart Webb.) – booked for 24/11/2020; 23/02/2021; 25/05/2021; 24/08/2021",
		target: "Meetings to be diarised by 30 th Sept 20", state: booked, date: "2020-11-24", quote: "A quarterly meeting (Sandy Hopkins and Stuart Webb.) – booked for 24/11/2020; 23/02/2021"},
	{src: "oct20", update: "Six-monthly agenda item request has been sent for Mid-October 2020 and May 2021.", state: booked, date: "2020-10-31"},
	{src: "oct20", update: "Staff conferences ran virtually in October 2020 and new chair of conference planning group appointed.", state: done, date: "2020-10-31"},
	{src: "oct20", update: "Service support is factored into destination and design document that EDCS is coordinating.", state: none},
	{src: "oct20", update: "QA Unit Manager (Principal Social Worker) and Workforce Development Manager are leading on the development of a new Workforce Academy; with proposed launch date of April 2021.", state: inProgress},
	{src: "oct20", update: "EDCS has instigated service review of appraisal completion with feedback to DMT scheduled for November 2020.", state: inProgress},
	{src: "oct20", update: "Supervision guidance has been reviewed and management training started.", state: inProgress},
	{src: "oct20", update: "DMT discussion regarding consistent reflective supervision offer scheduled for November 2020.", state: booked, date: "2020-11-30"},
	{src: "oct20", update: "Factored into destination and design document that EDCS is coordinating; scheduled for presentation to EMT and lead members in November 2020.", state: booked, date: "2020-11-30"},
	{src: "oct20", update: "To be undertaken as part of practice framework development.", state: none},
	{src: "oct20", update: "Quality assurance framework has been updated after review by Hampshire Children's Services (Partner in Practice).", state: done},
	{src: "oct20", update: "DCS has provided instruction regarding the reporting format to Improvement Board.", state: done},
	{src: "oct20", update: "Revised data requests have been submitted to the data team.", state: done},
	{src: "oct20", update: "Revised reporting due to begin in November 2020.", state: inProgress},
	{src: "oct20", update: "DCS has provided instruction regarding the reporting format to Improvement Board. Revised data requests have been submitted to the data team. Revised reporting due to begin in November 2020.",
		state: inProgress, quote: "Revised reporting"},
	{src: "oct20", update: "EDCS will take on chair of Recruitment and Retention group in November 2020.", state: none},
	{src: "oct20", update: "See above and recommendation 1. – communications team support.", state: none},
	{src: "oct20", update: "The capacity of the original remote access solutions has been tripled since the start of lockdown so the contention for users is much reduced.", state: done},
	{src: "oct20", update: "By the end of September 2020, Business Operations and Digital will have moved everyone over to a replacement remote access technology (called AOVPN) which is more robust, and importantly routes a lot of the traffic away from the council network completely.", state: none},
	{src: "oct20", update: "Changes were made to the Citrix environment to reduce things like screen colour depth and other factors which did improve performance.", state: done},
	{src: "oct20", update: "There can still be performance challenges, it is one of the reasons that we are still pushing on with the client case management system project as this is a more modern architecture, and there are further improvements still being added such as updated servers in the Citrix estate to help with the speed.", state: inProgress},
	{src: "oct20", update: "There has been definite progress and we expect to see much less, if any, issues similar to the first lockdown but there are on-going projects to improve things further.", state: inProgress},
	{src: "oct20", update: "CCM project team are coordinating list of staff who have expressed an interest in being involved.", state: inProgress},
	{src: "oct20", update: "Wider engagement is being coordinated with the help of comm's team.", state: inProgress},
	{src: "oct20", update: "Improvement Board Terms of Reference and Membership have been updated.", state: done},
	{src: "oct20", update: "New Board is scheduled to meet on 16 th November 2020.", state: booked, date: "2020-11-16"},
	{src: "oct20", update: "Membership has been extended to local safeguarding partners, advisory bodies and staff representatives.", state: done},
	{src: "oct20", update: "Plan was discussed with SSCP chair and MOTAS management team.", state: done},
	{src: "oct20", update: "It will be developed with partners through revised board arrangements", state: none},
	{src: "oct20", update: "EDCS has updated that he will liaise with Hampshire as our Partner in Practice and will request that they undertake 'deep dive' activity in critical areas.", state: none},
	{src: "oct20", update: "Hampshire Children's Services undertook a further review of the service improvement plan in September 2020.", state: done, date: "2020-09-30"},
	{src: "oct20", update: "The DfE have been invited to contribute to the Improvement Board", state: none},
	{src: "oct20", update: "Start: June 20 Completed by 30 th Sept 20", state: none}, // a target, typed in the update
	{src: "oct20", update: "Completed by: 31 st Mar 21", state: none},

	// January 2021.
	{src: "jan21", update: "Vision statements agreed by DMT; consultation with staff and partners extended to February 2021.", state: postponed, date: "2021-02-28"},
	{src: "jan21", update: "Practitioner representatives have joined the reconstituted Improvement Board.", state: done},
	{src: "jan21", update: "Improvement plan reviewed and submitted to Ofsted on 8th October 2020.", state: done, date: "2020-10-08"},
	{src: "jan21", update: "Quality assurance framework updated and launched.", state: done},
	{src: "jan21", update: "Framework drafted; workshops held in November and December 2020.", state: inProgress},
	{src: "jan21", update: "Strategy agreed by DMT in December 2020.", state: done, date: "2020-12-31"},

	// What the real January 2021 statement says of the actions still overdue.
	{src: "issue", update: "Representative still to be nominated.", state: inProgress},
	{src: "issue", update: "Practitioner representative still to be nominated by the Better Together group.", state: inProgress},
	{src: "issue", update: "Bi-annual meeting postponed to February 2021.", state: postponed, date: "2021-02-28"},
	{src: "issue", update: "The November meeting was postponed to February 2021 owing to the lockdown.", state: postponed, date: "2021-02-28"},
	{src: "issue", update: "Review of appraisal completion to report to EMT in February 2021.", state: none},
	{src: "issue", update: "Scope still being agreed with Business Operations and Digital.", state: inProgress},
	{src: "issue", update: "The improvement plan will be submitted to Ofsted in March 2021.", state: none},
	{src: "issue", update: "Meeting not yet held.", state: inProgress, neg: true},

	// The council's 2012 improvement plan.
	{src: "2012", update: "Funding secured for additional social workers and managers over establishment on a temporary basis to allow for safe allocation of work whilst necessary action taken to stabilise the workforce.", state: done},
	{src: "2012", update: "Recruitment fayre held on 16th July 2012.", state: done, date: "2012-07-16"},
	{src: "2012", update: "Changes made to the Hampshire job portal to ensure Southampton City Council's profile is more visible.", state: done},
	{src: "2012", update: "Resolution of the local terms and conditions dispute was confirmed in October and should improve recruitment and retention of staff going forward.", state: done},
	{src: "2012", update: "Introduced 'group interview' pilot to test against key competencies.", state: done},
	{src: "2012", update: "Agreed the priorities for the learning and development programme September 2012-March 2013.", state: done},
	{src: "2012", update: "Reviewed the model for the commissioning of work from Capita and managing the relationship between the workforce development team/ Capita and children's social care as commissioners in order to assure effective delivery.", state: done},
	{src: "2012", update: "The draft learning and development programme has been signed off by Safeguarding Management Team and was launched at the Safeguarding staff conferences during September 2012.", state: done, date: "2012-09-30"},
	{src: "2012", update: "Document currently being revised To be signed off by CSLMT in November and launched for implemented during December 2012 to January 2013.", state: inProgress},
	{src: "2012", update: "Practice standards being developed", state: inProgress},
	{src: "2012", update: "Task group has reported findings, draft supervision standards have been devised for launch during November.", state: done},
	{src: "2012", update: "Supervision standards to be reissued along with the Supervision Policy on 7th September.", state: none},
	{src: "2012", update: "Expected standards in relation to supervision have been reiterated in various forums.", state: done},
	{src: "2012", update: "Supervision audit took place 23/08/12.", state: done, date: "2012-08-23"},
	{src: "2012", update: "The majority of managers have received specialist supervision training.", state: done},
	{src: "2012", update: "Wireless in Marlands under exploration", state: inProgress},
	{src: "2012", update: "CSL ICT has costed the work", state: done},
	{src: "2012", update: "Proposals for this post have been withdrawn as part of the 2013-14 savings.", state: none},
	{src: "2012", update: "A proposal from Capita Training has been agreed.", state: done},
	{src: "2012", update: "This will provide training one day a week - induction and training for each aspect.", state: none},
	{src: "2012", update: "The 'What to Record Where in PARIS Guide' is to be relaunched.", state: none},
	{src: "2012", update: "Training will continue until the workforce is stable and everyone can use it.", state: none},
	{src: "2012", update: "This has already started.", state: inProgress},
	{src: "2012", update: "The Child Centred Practice (CCP) tool has been bought and training begun.", state: inProgress},
	{src: "2012", update: "A number of policies have already been uploaded and this work will continue through the autumn.", state: done},
	{src: "2012", update: "Two officers from the Policy and Performance team have been designated to lead on this project and it is being rolled out during.", state: inProgress},
	{src: "2012", update: "Information about the product was communicated at a Safeguarding staff conference on 26th September.", state: done},
	{src: "2012", update: "Paperwork agreed, training is in place, it is signed off and was launched on 26th September at staff conference.", state: done},
	{src: "2012", update: "New business process developed - in draft form", state: inProgress},
	{src: "2012", update: "A letter has been devised, to be sent to each professional from a partner agency who has not attended a Core Group meeting.", state: done},
	{src: "2012", update: "A copy will be sent to their line manager and to Felicity Budgen.", state: none},
	{src: "2012", update: "Multi-agency Core Group training has taken place and will continue", state: done},
	{src: "2012", update: "Next audit is due on 12 December 2012.", state: booked, date: "2012-12-12"},
	{src: "2012", update: "Core Group training delivered to all safeguarding managers and senior practitioners on 20th and 24th September 2012.", state: done, date: "2012-09-24"},
	{src: "2012", update: "Core Group training to be delivered to all safeguarding social workers between September 2012 and November 2012.", state: none},
	{src: "2012", update: "Monthly multi-agency audits taking place.", state: inProgress},
	{src: "2012", update: "Complaints leaflet has been updated and re-printed, including information re Advocacy Service.", state: done},
	{src: "2012", update: "Current Advocacy Service provision to be reviewed to raise profile and awareness", state: none},
	{src: "2012", update: "The amount of funding has been confirmed.", state: done},
	{src: "2012", update: "The contact number to access the No Limits advocacy service is being sent out through the complaints leaflets.", state: inProgress},
	{src: "2012", update: "The specification is in draft form and will be shared for consultation and edits.", state: inProgress},
	{src: "2012", update: "Nothing yet online about Advocacy", state: inProgress, neg: true},
	{src: "2012", update: "Audit of Pathways needs Assessment and Plans carried out 8th August, to be reported quarterly to SGMT.", state: done},
	{src: "2012", update: "The Pathways Management Team is reviewing Pathways Needs Assessment and Plan documentation.", state: inProgress},
	{src: "2012", update: "Draft proposals were considered at Team Day.", state: done},
	{src: "2012", update: "SB/MH/JS have committed to writing a PEP Action Plan for the Strategic Leadership Team on 17 October 2012.", state: none},
	{src: "2012", update: "New Core Assessment format is being developed by a working group led by Alyce McCourt.", state: inProgress},
	{src: "2012", update: "This to be piloted from December 2012.", state: none},
	{src: "2012", update: "69 Care Plans audited in August and report completed 17 August, with 9 Recommendation.", state: done},
	{src: "2012", update: "Quality and recording issues are being addressed through audit, and through additional training for Team Managers, Senior Practitioners and Social Workers through Oct/Nov / Dec 2012.", state: inProgress},
	{src: "2012", update: "Care Planning Panel and Resources and Alternative to Care Panel have recently been established", state: done},
	{src: "2012", update: "We have implemented a Southampton Staying Put policy to encourage young people to remain with their foster carers post 18.", state: done},
	{src: "2012", update: "Pathways team held a BBQ for looked after children in September.", state: done},
	{src: "2012", update: "The views of CLA were canvassed and a number of young people have agreed to take part in further consultation.", state: done},
	{src: "2012", update: "This will be made into a regular activity.", state: none},
	{src: "2012", update: "A comprehensive service redesign of the Council's 'People' functions has been developed and is under consideration having received Management Board of Directors support on 11th September 2012", state: inProgress},
	{src: "2012", update: "3-weekly reports now in place from Data Team indicating performance at child level by team/social worker.", state: done},
	{src: "2012", update: "A reminder system has been requested from the Data Team, to enable proactive planning rather than exception reporting.", state: done},
	{src: "2012", update: "In the meantime, a spreadsheet is being trialled in Pathways", state: inProgress},
	{src: "2012", update: "Permanence Group have been tasked to clarify and communicate definitions", state: none},
	{src: "2012", update: "PARIS Trainer has agreed to do urgent training for IAT and PACTs", state: none},
	{src: "2012", update: "All 16 Newly Qualified Social Workers are due to be in post by 31 october 2012.", state: none},

	// Negation: the same words, not done.
	{src: "rule", update: "The report has not been submitted.", state: inProgress, neg: true},
	{src: "rule", update: "The report hasn't been submitted to Cabinet.", state: inProgress, neg: true},
	{src: "public", update: "The panel has never met.", state: inProgress, neg: true},
	{src: "public", update: "No meetings have taken place since March due to lockdown.", state: inProgress, neg: true},
	{src: "rule", update: "Dates have not been booked.", state: inProgress, neg: true},
	{src: "public", update: "The strategy was not agreed by Cabinet in December 2020.", state: inProgress, neg: true},
	{src: "public", update: "The workshop didn't take place in October 2020 as planned.", state: inProgress, neg: true},
	{src: "public", update: "The board was unable to meet in December 2020.", state: inProgress, neg: true},
	{src: "public", update: "The policy was reviewed in September 2020 but has not been approved by Cabinet.", state: inProgress, neg: true},
	{src: "public", update: "The consultation has not been delayed and closes on 5 February 2021.", state: none, neg: true},
	{src: "public", update: "The group will not meet until the new year.", state: inProgress, neg: true},
	{src: "public", update: "The report was not completed in time for the December meeting.", state: inProgress, neg: true},
	{src: "rule", update: "The plan has not been written or agreed.", state: inProgress, neg: true},
	{src: "public", update: "No update on recruitment; the post was not filled.", state: inProgress, neg: true},
	{src: "public", update: "Visits could not take place during lockdown.", state: inProgress, neg: true},

	// Future, modal and plans: not done.
	{src: "public", update: "A revised plan will be presented to Cabinet in February 2021.", state: none},
	{src: "public", update: "Plans are in place to hold a staff conference in March 2021.", state: none},
	{src: "public", update: "The intention is to publish the framework by April 2021.", state: none},
	{src: "public", update: "Consultation is expected to finish in February 2021.", state: none},
	{src: "public", update: "It is hoped the review will be finished by March 2021.", state: none},
	{src: "public", update: "The strategy should be agreed at the February meeting.", state: none},
	{src: "public", update: "The board may be reconstituted in the new year.", state: none},
	{src: "public", update: "The framework needs to be updated to reflect the new guidance.", state: none},
	{src: "public", update: "Further training will be arranged for new starters.", state: none},
	{src: "rule", update: "Meetings to be diarised by 30 September 2020.", state: none},
	{src: "public", update: "The training programme is due to start in April 2021.", state: inProgress},
	{src: "public", update: "Work will begin once funding is confirmed.", state: inProgress},
	{src: "public", update: "The improvement plan was submitted to Ofsted on 8 October 2020 and will be reviewed again in April 2021.", state: done, date: "2020-10-08"},

	// Something else: another action, the next meeting.
	{src: "rule", update: "This is being picked up under action 3.2, where the review was completed in December 2020.", state: none},
	{src: "rule", update: "Complete – see action 2.6.", state: none},
	{src: "public", update: "Another action covers the recruitment campaign, which was launched in January 2021.", state: none},
	{src: "public", update: "The next meeting is booked for 12 May 2021.", state: booked, date: "2021-05-12"},
	{src: "public", update: "The next meeting will take place on 3 March 2021.", state: booked, date: "2021-03-03"},

	// Done, with the date.
	{src: "public", update: "Training was delivered to all team managers in November 2020.", state: done, date: "2020-11-30"},
	{src: "public", update: "The Board met on 16 November 2020 and agreed its terms of reference.", state: done, date: "2020-11-16"},
	{src: "public", update: "Terms of reference were approved by the Board on 16/11/2020.", state: done, date: "2020-11-16"},
	{src: "public", update: "The new structure went live on 1 December 2020.", state: done, date: "2020-12-01"},
	{src: "public", update: "The protocol is now in place.", state: done},
	{src: "rule", update: "Completed 8 October 2020.", state: done, date: "2020-10-08"},
	{src: "rule", update: "Action complete.", state: done},
	{src: "rule", update: "Complete.", state: done},
	{src: "rule", update: "Done.", state: done},
	{src: "public", update: "The Practitioners' Board was established in October 2020 and now meets monthly.", state: done, date: "2020-10-31"},
	{src: "public", update: "The new chair was appointed on 4 January 2021.", state: done, date: "2021-01-04"},
	{src: "public", update: "Representatives have been nominated by each locality.", state: done},
	{src: "public", update: "The council's website was updated on 1/12/2020 with the new complaints leaflet.", state: done, date: "2020-12-01"},
	{src: "public", update: "All staff have received the updated guidance.", state: done},
	{src: "public", update: "The postponed workshop took place on 9 December 2020.", state: done, date: "2020-12-09"},
	{src: "public", update: "Recruitment campaign launched on 5 January 2021.", state: done, date: "2021-01-05"},
	{src: "public", update: "The action is complete and evidence has been provided to the Board.", state: done},
	{src: "public", update: "Meeting with Ofsted took place on 8/10/2020.", state: done, date: "2020-10-08"},

	// Adjectives and habits: nothing done.
	{src: "rule", update: "The revised timetable is attached.", state: none},
	{src: "rule", update: "The reconstituted Board is chaired by the Chief Executive.", state: none},
	{src: "rule", update: "Meetings are held monthly.", state: none},

	// Partly done, under way.
	{src: "public", update: "75% complete; the remaining sessions will run in February 2021.", state: inProgress},
	{src: "public", update: "Partially implemented: the new rota starts in January 2021.", state: inProgress},
	{src: "public", update: "Almost complete.", state: inProgress},
	{src: "public", update: "Ofsted feedback was received on 2 December 2020 and the plan is being revised.", state: inProgress},
	{src: "public", update: "Recruitment to the post is still to be completed.", state: inProgress},
	{src: "public", update: "Appointment yet to be made.", state: inProgress},
	{src: "public", update: "Awaiting sign-off by the Executive Management Team.", state: inProgress},
	{src: "public", update: "Sign-off pending.", state: inProgress},
	{src: "public", update: "The scope is still being agreed with partners.", state: inProgress},
	{src: "public", update: "Work to agree the scope remains ongoing.", state: inProgress},
	{src: "public", update: "On track to complete by 31 March 2021.", state: inProgress},
	{src: "public", update: "Under review following the Ofsted monitoring visit.", state: inProgress},
	{src: "public", update: "Staff survey closed on 18 December 2020; results are being analysed.", state: inProgress},

	// Booked.
	{src: "public", update: "Dates for all four quarterly meetings have been diarised.", state: booked},
	{src: "public", update: "Sessions arranged for 14 January 2021 and 21 January 2021.", state: booked, date: "2021-01-14"},
	{src: "public", update: "A date has been set for the first meeting of the group.", state: booked},
	{src: "public", update: "The meeting is in the Chief Executive's diary for 3 March 2021.", state: booked, date: "2021-03-03"},
	{src: "public", update: "Quarterly meetings timetabled for the rest of 2021.", state: booked},
	{src: "public", update: "A meeting with the DfE is scheduled to take place on 3 March 2021.", state: booked, date: "2021-03-03"},
	{src: "public", update: "Agenda item requested for the March 2021 Executive Management Team.", state: booked, date: "2021-03-31"},

	// Postponed.
	{src: "public", update: "Review meeting postponed until 4 March 2021 at the request of the Chair.", state: postponed, date: "2021-03-04"},
	{src: "public", update: "The audit was deferred to Quarter 4 owing to staff absence.", state: postponed},
	{src: "public", update: "Work on the strategy is on hold until the new director is in post.", state: postponed},
	{src: "public", update: "The visits were paused during the second lockdown.", state: postponed},
	{src: "public", update: "The January session was cancelled and has been rescheduled for 9 February 2021.", state: postponed, date: "2021-02-09"},
	{src: "public", update: "Target date extended to 31 March 2021 following the restructure.", state: postponed, date: "2021-03-31"},
	{src: "public", update: "The event has been put back to June 2021.", state: postponed, date: "2021-06-30"},
	{src: "public", update: "The first workshop was held on 12 November 2020; the second has been postponed to January 2021.", state: postponed, date: "2021-01-31", quote: "The first workshop"},

	// Words that look like cues and are not, or not alone.
	{src: "rule", update: "Meeting arranged for 12 January 2021 but had to be cancelled; a new date is being sought.", state: postponed},
	{src: "rule", update: "This action has been superseded by the Ofsted improvement plan.", state: none},
	{src: "rule", update: "Ofsted visit on 8 October 2020 went well.", state: none},
	{src: "public", update: "Not started.", state: inProgress},
	{src: "public", update: "No further action required.", state: none},

	// Nothing to read.
	{src: "rule", update: "No update received. Previous update: Meeting held on 12 November 2020.", state: none},
	{src: "rule", update: "", state: none},
	{src: "rule", update: "   \n ", state: none},
}

func (s sentence) action() *plan.Action {
	return &plan.Action{Ref: "9.9", Recommendation: "9", Text: "An action", Update: s.update, Schedule: plan.Schedule{Text: s.target}}
}

func show(u plan.UpdateSays) string {
	d := u.Date.ISO()
	if d == "" {
		d = "no date"
	}
	return fmt.Sprintf("%s, %s", u.State, d)
}

// TestSentenceTable reads every sentence of the table.
func TestSentenceTable(t *testing.T) {
	if len(table) < 100 {
		t.Errorf("the table has %d sentences: it should have at least 100", len(table))
	}
	for i, s := range table {
		if sources[s.src] == "" {
			t.Errorf("row %d: unknown source %q", i, s.src)
		}
		name := fmt.Sprintf("%d %s %.40s", i, s.src, s.update)
		t.Run(name, func(t *testing.T) {
			got := Read(s.action())
			want := show(plan.UpdateSays{State: s.state, Date: isoDate(t, s.date)})
			if show(got) != want {
				t.Errorf("%q\n got %s (%q)\nwant %s", s.update, show(got), got.Quote, want)
			}
			switch {
			case got.State == plan.UpdateNone && got.Quote != "":
				t.Errorf("nothing read, but quoted %q", got.Quote)
			case got.State != plan.UpdateNone && !strings.Contains(strings.Join(strings.Fields(s.update), " "), got.Quote):
				t.Errorf("quote %q is not the officer's words", got.Quote)
			case s.quote != "" && !strings.HasPrefix(got.Quote, s.quote):
				t.Errorf("quote %q, want it to begin %q", got.Quote, s.quote)
			}
		})
	}
}

// TestNegationMatters: without its negation handling, the reader gets
// every row marked neg wrong. (A reader that ignored "not" would read "not
// yet held" as held.)
func TestNegationMatters(t *testing.T) {
	saved := classes
	classes = map[string]class{}
	for w, c := range saved {
		classes[w] = c &^ cNeg
	}
	defer func() { classes = saved }()
	n := 0
	for _, s := range table {
		if !s.neg {
			continue
		}
		n++
		got := Read(s.action())
		if got.State == s.state {
			t.Errorf("%q is read as %s even without negations: the row does not test them", s.update, got.State)
		}
	}
	if n < 10 {
		t.Errorf("%d rows test negation: want at least 10", n)
	}
}

func isoDate(t *testing.T, s string) plan.TargetDate {
	t.Helper()
	if s == "" {
		return plan.TargetDate{}
	}
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d); err != nil {
		t.Fatalf("bad date %q in the table", s)
	}
	return plan.TargetDate{Date: plan.Day(y, time.Month(m), d)}
}
