package notify

import (
	"fmt"
	"strings"
	"time"

	"papers/internal/mail"
	"papers/internal/portal"
	"papers/internal/store"
)

// longDate is a day as letters write it: "Friday 15 January 2021".
func longDate(d time.Time) string { return d.Format("Monday 2 January 2006") }

// greeting opens a message to name ("Dear Ann Officer,"), or to nobody in
// particular.
func greeting(name string) string {
	if strings.TrimSpace(name) == "" {
		return "Hello,"
	}
	return "Dear " + name + ","
}

// signature closes every message.
func (s Settings) signature() string {
	if s.Council == "" {
		return "Democratic Services"
	}
	return "Democratic Services\n" + s.Council
}

// link is a page of the portal, or "" when no portal address is configured.
func (s Settings) link(path string) string {
	if s.PortalURL == "" {
		return ""
	}
	return strings.TrimRight(s.PortalURL, "/") + path
}

// address is a contact as a recipient: "Ann Officer <ann@council.gov.uk>".
func address(c portal.Contact) string {
	if c.Name == "" {
		return c.Email
	}
	return fmt.Sprintf("%q <%s>", c.Name, c.Email)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ownerLines lists lead owners and their open actions.
func ownerLines(owners []portal.OwnerStanding) string {
	var b strings.Builder
	for _, o := range owners {
		fmt.Fprintf(&b, "  - %s (%s)\n", o.Owner, plural(o.Actions, "open action", "open actions"))
	}
	return b.String()
}

// portalLine asks the reader to go to the portal: with its address when
// configured.
func (s Settings) portalLine(what, path string) string {
	if l := s.link(path); l != "" {
		return what + " in the portal:\n" + l + "\n"
	}
	return what + " in the portal.\n"
}

// reminder is the message to an officer whose lead owners' returns are not
// in, some days before the deadline.
func reminder(s Settings, q portal.Quarter, to portal.Contact, owners []portal.OwnerStanding) mail.Message {
	text := fmt.Sprintf(`%s

The quarterly return for the %s, %s, is due by %s. We have not received it yet for:

%s
%s
If you have sent it in the last few minutes, thank you: there is nothing more to do.

%s
`, greeting(to.Name), q.Plan, q.Label, longDate(q.Deadline), ownerLines(owners),
		s.portalLine("Please download the return, update it and send it back", "/officer"), s.signature())
	return mail.Message{To: address(to), Subject: fmt.Sprintf("Reminder: your %s return for %s is due by %s", q.Label, q.Plan, longDate(q.Deadline)), Text: text}
}

// chase is the message to an officer whose lead owners' returns were not in
// by the deadline.
func chase(s Settings, q portal.Quarter, to portal.Contact, owners []portal.OwnerStanding) mail.Message {
	text := fmt.Sprintf(`%s

The quarterly return for the %s, %s, was due on %s, and we have not received it for:

%s
The report to the committee is being prepared now: please send the return as soon as you can. %s
If you cannot send it, or someone else now leads these actions, please tell Democratic Services.

%s
`, greeting(to.Name), q.Plan, q.Label, longDate(q.Deadline), ownerLines(owners),
		s.portalLine("Download it, update it and send it back", "/officer"), s.signature())
	return mail.Message{To: address(to), Subject: fmt.Sprintf("Overdue: your %s return for %s was due on %s", q.Label, q.Plan, longDate(q.Deadline)), Text: text}
}

// receipt tells whoever submitted a return what was received. It is the one
// place an officer sees a file's SHA-256: it identifies the file kept.
// A clerk who entered a return for an owner is sent to the quarter's page.
func receipt(s Settings, q portal.Quarter, to portal.Contact, r store.ReturnRecord, clerk bool) mail.Message {
	page := "/officer"
	if clerk {
		page = "/clerk/quarters" + q.Path()
	}
	when := "before the deadline"
	if plainDay(r.SubmittedAt.In(s.location())).After(q.Deadline) {
		when = "after the deadline"
	}
	text := fmt.Sprintf(`%s

We have received the return for %s for the %s, %s:

  File:          %s
  Version:       %d
  Actions:       %d
  Size:          %s
  Submitted by:  %s
  Submitted at:  %s
  SHA-256:       %s

It came %s, %s. The SHA-256 identifies the file exactly: the copy kept in the council's history has the same one.

If you find a mistake, send a corrected return before the quarter is accepted. %s
%s
`, greeting(to.Name), r.Owner, q.Plan, q.Label, r.FileName, r.Version, r.Actions, size(r.Size), r.SubmittedBy,
		r.SubmittedAt.In(s.location()).Format("2 January 2006 15:04"), r.SHA256, when, longDate(q.Deadline),
		s.portalLine("You can do that", page), s.signature())
	return mail.Message{To: address(to), Subject: fmt.Sprintf("Received: the %s return for %s (%s)", q.Label, r.Owner, q.Plan), Text: text}
}

// allIn tells a clerk that every lead owner's return is in.
func allIn(s Settings, q portal.Quarter, to portal.Contact, owners []portal.OwnerStanding) mail.Message {
	var b strings.Builder
	for _, o := range owners {
		late := ""
		if o.Late {
			late = ", late"
		}
		fmt.Fprintf(&b, "  - %s: version %d, %s%s\n", o.Owner, o.Return.Version, o.Return.SubmittedAt.In(s.location()).Format("2 January 2006"), late)
	}
	text := fmt.Sprintf(`%s

Every return for the %s, %s, is in (the deadline was %s):

%s
%s
%s
`, greeting(to.Name), q.Plan, q.Label, longDate(q.Deadline), b.String(),
		s.portalLine("Check the merged statement and accept the quarter", "/clerk/quarters"+q.Path()), s.signature())
	return mail.Message{To: address(to), Subject: fmt.Sprintf("All returns are in: %s %s", q.Plan, q.Label), Text: text}
}

// InvitationMessage is the email that gives someone their one-time
// password: for a new account, or after a clerk reset theirs (inv.Reset).
// The link is to the configured portal address when there is one, else the
// one the portal gives (the address the clerk's browser used).
func InvitationMessage(s Settings, inv portal.Invitation) mail.Message {
	signIn := s.link("/signin")
	if signIn == "" {
		signIn = inv.URL
	}
	how := "Sign in"
	if signIn != "" {
		how += " at " + signIn + "\n"
	}
	what, subject := `You have been given an account on the council's action plan portal, where lead officers send their quarterly returns.`,
		"Your account on the action plan portal"
	if inv.Reset {
		what, subject = "Your password for the council's action plan portal has been reset, and your old password no longer works.",
			"Your password for the action plan portal has been reset"
	}
	if inv.Password == "" {
		// Sign-in is with the council's identity provider: there is no
		// password to give.
		button := inv.Provider
		if button == "" {
			button = "the council's sign-in button"
		}
		text := fmt.Sprintf(`%s

%s

%swith your council account: press "%s" and use this email address. You need no password for the portal.

If you were not expecting this, please tell Democratic Services.

%s
`, greeting(inv.Name), what, how, button, s.signature())
		return mail.Message{To: address(portal.Contact{Name: inv.Name, Email: inv.Email}), Subject: subject, Text: text}
	}
	text := fmt.Sprintf(`%s

%s

%swith this email address and the one-time password below, within 7 days. You will be asked to choose your own password straight away.

  One-time password:  %s

If you were not expecting this, please tell Democratic Services.

%s
`, greeting(inv.Name), what, how, inv.Password, s.signature())
	return mail.Message{To: address(portal.Contact{Name: inv.Name, Email: inv.Email}), Subject: subject, Text: text}
}

// size is a file's size for people: "12.3 KB".
func size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
	}
}

// plainDay is t's calendar day at midnight UTC, as quarters' deadlines are kept.
func plainDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
