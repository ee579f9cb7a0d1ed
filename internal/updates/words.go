package updates

import "strings"

// The word lists the rules use. Words are lower case, with hyphens and
// apostrophes dropped ("ongoing", "hasnt").

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	// doneWords report something done, as a past tense or a participle:
	// "was submitted", "Strategy agreed by DMT", "EDC attended".
	doneWords = set(`achieved actioned added addressed adopted agreed allocated amended analysed analyzed
		announced answered appointed approved assessed assigned attended audited awarded briefed
		bought built changed chaired circulated closed collated commissioned communicated completed
		concluded conducted confirmed considered consulted contacted convened created delivered
		deployed designated designed developed devised discussed distributed doubled embedded
		endorsed engaged enshrined established evaluated expanded extended facilitated filled
		finalised finalized finished formed gave given held hosted identified implemented improved
		included incorporated increased informed installed instructed introduced invited issued
		joined launched led made mapped met migrated moved nominated obtained opened paid piloted
		prepared presented procured produced promoted provided publicised publicized published
		purchased raised ran ratified received reconstituted recruited redesigned reduced refreshed
		reissued reiterated relaunched renewed replaced reported requested resolved restructured
		reviewed revised rewritten rewrote run saw secured sent shared signed spoke submitted taken
		tested took trained tripled undertaken undertook updated upgraded uploaded visited
		wrote written done`)

	// stateWords after "is" or "are" report a state reached: "is
	// established", "are agreed". Other participles after "is" are read
	// as habits or descriptions ("meetings are held monthly").
	stateWords = set(`established agreed approved embedded implemented finalised finalized published
		complete completed done appointed launched adopted ratified endorsed`)

	// irregular are past participles that do not end in -ed, which
	// "being" makes work under way ("a new date is being sought").
	irregular = set(`sought made held taken done given brought built bought written drawn run set put seen
		shown met paid found kept led sent spent told thought taught begun chosen undertaken`)

	// progressWords report work begun but not finished.
	progressWords = set(`started begun began commenced initiated instigated drafted redrafted`)

	// bookWords report something booked or scheduled.
	bookWords = set(`booked diarised diarized scheduled timetabled calendared arranged`)

	// postponeWords report something put off.
	postponeWords = set(`postponed deferred delayed rescheduled rearranged rebooked cancelled canceled
		suspended paused`)

	// slipWords report a date moved when a date follows them: "extended to
	// February 2021" (but "extended to local partners" is done).
	slipWords = set(`extended moved slipped pushed`)

	// ingWork are words that, after "is" or "are", report work under way
	// ("are coordinating", "is being"); other -ing words after "is" may
	// not ("the board is meeting monthly").
	ingNotWork = set(`meeting operating functioning according following including regarding
		concerning during being running`)

	// reporting verbs take "that" and a clause, which is read on its own:
	// "EDCS has updated that he will liaise" reports nothing done.
	reportingWords = set(`updated confirmed advised reported stated noted indicated said explained agreed
		announced informed added commented clarified suggested`)

	// intentWords before "to" and a verb report an intention, not a deed:
	// "agreed to hold", "invited to contribute", "tasked to clarify".
	intentWords = set(`agreed decided committed asked invited tasked requested planned expected arranged
		aims aim intends intend hopes hope proposed set due likely needs need plans plan going about`)

	// startWords after "will", "to" or "due to" say work has yet to begin.
	startWords = set(`begin start commence launch restart`)

	// eventBase are verbs of an event: after "will", "to" or "due to", with
	// a date, they report a booking ("is due to meet on 16 November").
	eventBase = set(`hold meet run happen occur convene`)

	// eventWords are the participles of such events: "will be held on 3
	// March 2021" is booked.
	eventWords = set(`held met run convened`)

	modals = set(`will shall would should could may might must can cannot wont ll shant`)

	negations = set(`not never no none nothing unable cannot hasnt havent hadnt wasnt werent isnt arent
		didnt dont doesnt cant couldnt wont wouldnt shouldnt neither nor`)

	// partial words make a "done" partly done: "partially implemented".
	partialWords = set(`partially partly almost nearly largely substantially mostly`)

	// otherWords in a subject say it is about something else: "the next
	// meeting", "another action".
	otherWords = set(`next another other future upcoming forthcoming subsequent`)

	// planWords followed by "to" or "for" name a plan for the future.
	planWords = set(`plan plans proposal proposals intention intentions aim aims ambition`)

	beWords   = set(`is are was were be been being am`)
	haveWords = set(`has have had having`)
	pastAux   = set(`was were been has have had`)

	determiners = set(`the a an this that these those its their our his her my your any some all each
		every both either such another`)

	prepositions = set(`of to in on at by for with from into onto about after before during under over
		between through across within without against among around via per as than like including
		regarding re towards toward upon since until till`)

	conjunctions = set(`and or but nor so yet whilst while although though however whereas because if
		when once then`)

	// adverbs are read past when looking for a verb's auxiliary or subject.
	adverbs = set(`now also already recently successfully fully all both then subsequently duly formally
		finally just previously initially currently still yet not never virtually jointly again
		only well further since quickly swiftly today`)

	// lyNotAdverb are words ending in -ly that are no adverb.
	lyNotAdverb = set(`family supply apply reply rely assembly italy july only ally early likely`)
)

// class is the lists a word is in, as bits: each token's is looked up
// once.
type class uint64

const (
	cDone class = 1 << iota
	cState
	cProgress
	cBook
	cPostpone
	cSlip
	cIngNotWork
	cReporting
	cIntent
	cStart
	cEventBase
	cEvent
	cModal
	cNeg
	cPartial
	cOther
	cPlan
	cBe
	cHave
	cPastAux
	cDet
	cPrep
	cConj
	cNotParticiple
	cSplitter
	cRelative
	cAdverb   // read past: an adverb
	cFunction // no subject ends with it: a determiner, preposition, conjunction, auxiliary or modal
	cEd       // ends in -ed, and is not in notParticiple
	cIng      // ends in -ing
	cIrregular
)

// classes holds the class of every word in a list.
var classes = func() map[string]class {
	m := map[string]class{}
	for _, l := range []struct {
		words map[string]bool
		c     class
	}{
		{doneWords, cDone}, {stateWords, cState}, {progressWords, cProgress}, {bookWords, cBook},
		{postponeWords, cPostpone}, {slipWords, cSlip}, {ingNotWork, cIngNotWork}, {reportingWords, cReporting},
		{intentWords, cIntent}, {startWords, cStart}, {eventBase, cEventBase}, {eventWords, cEvent},
		{modals, cModal}, {negations, cNeg}, {partialWords, cPartial}, {otherWords, cOther}, {planWords, cPlan},
		{beWords, cBe}, {haveWords, cHave}, {pastAux, cPastAux}, {determiners, cDet}, {prepositions, cPrep},
		{conjunctions, cConj}, {notParticiple, cNotParticiple}, {clauseSplitters, cSplitter},
		{relativeWords, cRelative}, {adverbs, cAdverb}, {irregular, cIrregular},
	} {
		for w := range l.words {
			m[w] |= l.c
		}
	}
	return m
}()

// classify returns the classes of a lower-case word.
func classify(w string) class {
	c := classes[w]
	if len(w) > 4 && strings.HasSuffix(w, "ly") && !lyNotAdverb[w] {
		c |= cAdverb
	}
	if c&(cDet|cPrep|cConj|cBe|cHave|cModal) != 0 || w == "to" || w == "no" || w == "new" {
		c |= cFunction
	}
	if len(w) > 4 && strings.HasSuffix(w, "ed") && c&cNotParticiple == 0 {
		c |= cEd
	}
	if len(w) > 4 && strings.HasSuffix(w, "ing") {
		c |= cIng
	}
	return c
}
