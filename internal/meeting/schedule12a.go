package meeting

import (
	"slices"
	"strconv"
	"strings"
)

// Schedule12A is the descriptions of exempt information in Part 1 of
// Schedule 12A to the Local Government Act 1972 (England), by paragraph.
var Schedule12A = map[int]string{
	1: "Information relating to any individual.",
	2: "Information which is likely to reveal the identity of an individual.",
	3: "Information relating to the financial or business affairs of any particular person (including the authority holding that information).",
	4: "Information relating to any consultations or negotiations, or contemplated consultations or negotiations, in connection with any labour relations matter arising between the authority or a Minister of the Crown and employees of, or office holders under, the authority.",
	5: "Information in respect of which a claim to legal professional privilege could be maintained in legal proceedings.",
	6: "Information which reveals that the authority proposes (a) to give under any enactment a notice under or by virtue of which requirements are imposed on a person; or (b) to make an order or direction under any enactment.",
	7: "Information relating to any action taken or to be taken in connection with the prevention, investigation or prosecution of crime.",
}

// Paragraphs names Schedule 12A paragraphs as notices do: "paragraph 3",
// "paragraphs 1 and 3", "paragraphs 1, 2 and 3".
func Paragraphs(ps []int) string {
	ps = slices.Clone(ps)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	nums := make([]string, len(ps))
	for i, p := range ps {
		nums[i] = strconv.Itoa(p)
	}
	switch len(nums) {
	case 0:
		return ""
	case 1:
		return "paragraph " + nums[0]
	}
	return "paragraphs " + strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
}

// ExemptNotice is the notice that replaces an exempt item in the public
// pack: "Not for publication by virtue of paragraph 3 of Part 1 of
// Schedule 12A to the Local Government Act 1972".
func ExemptNotice(ps []int) string {
	return "Not for publication by virtue of " + Paragraphs(ps) + " of Part 1 of Schedule 12A to the Local Government Act 1972"
}
