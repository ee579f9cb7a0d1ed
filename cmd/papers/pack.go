package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"papers/internal/export"
	"papers/internal/meeting"
	"papers/internal/pack"
	"papers/internal/pipeline"
)

// exitLate is the exit status when the packs are published with fewer than
// five clear working days before the meeting (and --late-ok is not given).
const exitLate = 3

type packOptions struct {
	cfg         *config
	MeetingFile string
	Out         string    // output folder; "" for output/<meeting date>
	Published   time.Time // the publication date ("today")
	PublishedBy string    // where Published came from, for messages
	Closures    []time.Time
	LateOK      bool
	When        bool // print the publication deadline only

	Stdout, Stderr io.Writer
	Progress       bool
}

// packConfig is config.yaml's part for packs: the keys under meeting: that
// config.go does not read.
type packConfig struct {
	Meeting struct {
		File        string   `mapstructure:"file"`
		PublishDate string   `mapstructure:"publish_date"`
		PublishURL  string   `mapstructure:"publish_url"`
		Closures    []string `mapstructure:"closures"`
	} `mapstructure:"meeting"`
}

func newPackCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pack [MEETING.yaml]",
		Short: "Build the meeting's agenda packs (public and members') as PDF",
		Long: `Build a meeting's agenda packs from its meeting file (data/meetings/<date>.yaml,
or meeting.file in config.yaml):

  output/<meeting date>/<committee> agenda pack.pdf    for the public
  output/<meeting date>/<committee> members pack.pdf   everything, exempt items included

Each pack is a front sheet (council, committee, date, time, venue, members,
contact), the agenda with the page each item starts on, then the items'
papers in order: the report papers writes from config.yaml's workbooks, and
PDF or Word files (converted with LibreOffice). Every page is stamped
"Page N" and every item has a bookmark. In the public pack an exempt item is
replaced by a notice ("Not for publication by virtue of paragraph 3 of Part 1
of Schedule 12A to the Local Government Act 1972"); nothing of it is in that
file. Both packs are written, or neither.

The statutory clock: papers must be published five clear working days
before the meeting (not counting the day of publication, the day of the
meeting, weekends, England and Wales bank holidays and meeting.closures).
--when prints the last day to publish. The publication date is --publish-date,
else meeting.publish_date in config.yaml, else today's date: this is the only
time papers reads the clock. Packs published later carry a PUBLISHED LATE
warning on their front sheets, and the exit status is 3 unless --late-ok
(urgent items the chair has agreed to take) is given.`,
		Example: `  papers pack --when
  papers pack data/meetings/2020-11-26.yaml --publish-date 2020-11-18
  papers pack --late-ok --out /tmp/packs`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cfg.sayDefaults(cmd.ErrOrStderr())
			pc, err := readPackConfig(cfg)
			if err != nil {
				return err
			}
			flags := cmd.Flags()
			o := packOptions{
				cfg:      cfg,
				Stdout:   cmd.OutOrStdout(),
				Stderr:   cmd.ErrOrStderr(),
				Progress: isTerminal(cmd.ErrOrStderr()),
			}
			o.When, _ = flags.GetBool("when")
			if on, _ := flags.GetBool("progress"); on {
				o.Progress = true
			}
			o.LateOK, _ = flags.GetBool("late-ok")
			o.Out, _ = flags.GetString("out")
			switch {
			case len(args) == 1:
				o.MeetingFile = args[0]
			case pc.Meeting.File != "":
				o.MeetingFile = cfg.resolve(pc.Meeting.File)
			default:
				return fmt.Errorf("which meeting? name its file (papers pack data/meetings/2020-11-26.yaml) or set meeting.file in %s", cfg.name())
			}
			for i, s := range pc.Meeting.Closures {
				d, err := parseDay(fmt.Sprintf("config %s: meeting.closures[%d]", cfg.name(), i), s)
				if err != nil {
					return err
				}
				o.Closures = append(o.Closures, d)
			}
			switch {
			case flags.Changed("publish-date"):
				s, _ := flags.GetString("publish-date")
				if o.Published, err = parseDay("--publish-date", s); err != nil {
					return err
				}
				o.PublishedBy = "--publish-date"
			case pc.Meeting.PublishDate != "":
				if o.Published, err = parseDay("config "+cfg.name()+": meeting.publish_date", pc.Meeting.PublishDate); err != nil {
					return err
				}
				o.PublishedBy = "meeting.publish_date in " + cfg.name()
			case !o.When:
				o.Published, o.PublishedBy = today(), "today's date"
			}
			return runPack(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.Bool("when", false, "print the last day to publish the papers, and build nothing")
	f.Bool("progress", false, "show each stage on stderr even when it is not a terminal (as it is shown when it is), for a log")
	f.String("publish-date", "", "the day the packs are published, YYYY-MM-DD (default: meeting.publish_date in config, else today)")
	f.Bool("late-ok", false, "exit 0 even when published late (urgent items agreed by the chair); the warning stays on the front sheet")
	f.String("out", "", "the output folder (default: output/<meeting date>)")
	return cmd
}

// now is the system clock. today is the only caller: papers reads the
// clock nowhere else.
var now = time.Now

// today is the date in the UK.
func today() time.Time {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.Local
	}
	return meeting.Day(now().In(loc))
}

// readPackConfig reads the meeting: keys config.go leaves alone.
func readPackConfig(cfg *config) (*packConfig, error) {
	pc := &packConfig{}
	if cfg.path == "" {
		return pc, nil
	}
	v := viper.New()
	v.SetConfigFile(cfg.path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("config %s: %v", cfg.name(), err)
	}
	hook := viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(dateToString, mapstructure.StringToSliceHookFunc(",")))
	if err := v.Unmarshal(pc, hook); err != nil {
		return nil, fmt.Errorf("config %s: %v", cfg.name(), err)
	}
	return pc, nil
}

// runPack checks the meeting file, then prints the deadline (--when) or
// builds and writes the packs.
func runPack(ctx context.Context, o packOptions) error {
	m, err := meeting.Load(o.MeetingFile)
	if err != nil {
		if errors.Is(err, meeting.ErrInvalid) {
			return fmt.Errorf("%w\n(the meeting file's fields are described in the README, \"Agenda packs\")", err)
		}
		return err
	}
	clock := meeting.NewClock(o.Closures...)
	by := clock.PublishBy(m.Date)
	if o.When {
		fmt.Fprintf(o.Stdout, "Publish by %s for the meeting on %s\n", meeting.LongDate(by), meeting.LongDate(m.Date))
		if skipped := clock.Skipped(by, m.Date); len(skipped) > 0 {
			var names []string
			for _, d := range skipped {
				name, _ := clock.Holiday(d)
				names = append(names, fmt.Sprintf("%s (%s)", name, meeting.LongDate(d)))
			}
			fmt.Fprintf(o.Stdout, "Not working days: %s\n", strings.Join(names, ", "))
		}
		if !o.Published.IsZero() {
			n := clock.Clear(o.Published, m.Date)
			verdict := "in time"
			if n < meeting.ClearDays {
				verdict = "LATE"
			}
			fmt.Fprintf(o.Stdout, "Published %s (%s): %s before the meeting, %s\n",
				meeting.LongDate(o.Published), o.PublishedBy, pick(n, "1 clear working day", fmt.Sprintf("%d clear working days", n)), verdict)
		}
		return nil
	}

	reports, err := packReports(ctx, o, m)
	if err != nil {
		return err
	}
	packs, err := pack.Build(ctx, m, pack.Options{
		Reports:   reports,
		Published: o.Published,
		Clock:     clock,
		Progress:  func(s string) { o.progress("%s", s) },
	})
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join(o.cfg.resolve("output"), m.Date.Format("2006-01-02"))
	}
	paths, err := packs.Save(ctx, out)
	if err != nil {
		return err
	}
	for i, p := range paths {
		pk := []*pack.Pack{packs.Public, packs.Members}[i]
		fmt.Fprintf(o.Stdout, "%s\t%d pages\n", p, pk.Pages)
	}
	printPackWarnings(o.Stderr, packs)
	if err := writeOParl(o, m, reports, out); err != nil {
		return err
	}
	t := packs.Timing
	if !t.Late {
		return nil
	}
	fmt.Fprintf(o.Stderr, "papers: %s\n  published %s (%s), %s before the meeting on %s; the last day for five was %s\n",
		pack.LateWarning, meeting.LongDate(t.Published), o.PublishedBy,
		pick(t.Clear, "1 clear working day", fmt.Sprintf("%d clear working days", t.Clear)),
		meeting.LongDate(m.Date), meeting.LongDate(t.PublishBy))
	if o.LateOK {
		fmt.Fprintln(o.Stderr, "papers: --late-ok: taken as urgent items the chair has agreed to (record the reasons in the minutes)")
		return nil
	}
	return &exitError{exitLate, errors.New("the packs were written with the warning on their front sheets. " +
		"If the chair has agreed that the late items are urgent, run again with --late-ok; if the publication date is wrong, give --publish-date")}
}

// printPackWarnings says what keeps the packs from being fully accessible:
// each warning once, naming the members' pack when only it is affected.
func printPackWarnings(w io.Writer, packs *pack.Packs) {
	public := map[string]bool{}
	for _, s := range packs.Public.Warnings {
		public[s] = true
		fmt.Fprintf(w, "papers: warning: %s\n", s)
	}
	for _, s := range packs.Members.Warnings {
		if !public[s] {
			fmt.Fprintf(w, "papers: warning: the members' pack: %s\n", s)
		}
	}
}

func (o packOptions) progress(format string, a ...any) {
	if o.Progress {
		fmt.Fprintf(o.Stderr, "… "+format+"\n", a...)
	}
}

// packReports builds the reports the meeting's items name. For now there is
// one: the report from config.yaml's workbooks, named report.name.
func packReports(ctx context.Context, o packOptions, m *meeting.Meeting) (map[string][]byte, error) {
	name := or(o.cfg.Report.Name, "report")
	var wanted []string
	for _, it := range m.Items {
		if it.Report == "" {
			continue
		}
		if it.Report != name {
			return nil, fmt.Errorf("%s: item %d (%s): report %q: papers writes one report, %q (report.name in %s)", m.Source, it.Number, it.Title, it.Report, name, o.cfg.name())
		}
		wanted = append(wanted, it.Report)
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	cfg := o.cfg
	if cfg.Meeting.Date != "" && cfg.Meeting.Date != m.Date.Format("2006-01-02") {
		fmt.Fprintf(o.Stderr, "papers: note: %s is for %s but meeting.date in %s is %s; the report is dated for the meeting file's\n",
			m.Source, meeting.LongDate(m.Date), cfg.name(), cfg.Meeting.Date)
	}
	ro := reportOptions{
		cfg:      cfg,
		Previous: cfg.resolve(cfg.Inputs.Previous),
		Current:  cfg.resolve(cfg.Inputs.Current),
		Baseline: cfg.resolve(cfg.Inputs.Baseline),
		Meeting:  m.Date,
		AsOf:     m.Date,
		Name:     name,
		Stdout:   o.Stdout,
		Stderr:   o.Stderr,
		Progress: o.Progress,
	}
	if cfg.Report.AsOf != "" {
		d, err := parseDay("config "+cfg.name()+": report.as_of", cfg.Report.AsOf)
		if err != nil {
			return nil, err
		}
		ro.AsOf = d
	}
	out, err := buildReportPDF(ctx, ro)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{name: out.PDF}, nil
}

// writeOParl writes the meeting as OParl JSON beside the packs, for the
// council's website and other systems, when meeting.publish_url says where
// the papers are published. Exempt items are listed under their public title
// with no files.
func writeOParl(o packOptions, m *meeting.Meeting, reports map[string][]byte, out string) error {
	pc, err := readPackConfig(o.cfg)
	if err != nil {
		return err
	}
	base := strings.TrimRight(pc.Meeting.PublishURL, "/")
	if base == "" {
		fmt.Fprintf(o.Stderr, "papers: note: no OParl JSON written: set meeting.publish_url in %s to where the papers are published\n", o.cfg.name())
		return nil
	}
	start := m.Date
	if t, err := time.Parse("15:04", m.Time); err == nil {
		london, lerr := time.LoadLocation("Europe/London")
		if lerr != nil {
			london = time.UTC
		}
		start = time.Date(m.Date.Year(), m.Date.Month(), m.Date.Day(), t.Hour(), t.Minute(), 0, 0, london)
	}
	id := base + "/" + m.Date.Format("2006-01-02")
	em := export.Meeting{ID: id, Name: m.Committee, Start: start, Location: m.Venue, Modified: o.Published}
	for _, it := range m.Items {
		item := export.Item{Number: strconv.Itoa(it.Number), Title: it.Title, Public: !it.IsExempt(), NoticeTitle: it.PublicHeading()}
		if item.Public {
			switch {
			case it.Report != "":
				name := it.Report + ".pdf"
				item.Files = append(item.Files, export.NewFile(it.Title, name, id+"/"+name, reports[it.Report]))
			case it.File != "":
				b, err := os.ReadFile(it.File)
				if err != nil {
					return fmt.Errorf("OParl: %v", err)
				}
				name := filepath.Base(it.File)
				item.Files = append(item.Files, export.NewFile(it.Title, name, id+"/"+url.PathEscape(name), b))
			}
		}
		em.Items = append(em.Items, item)
	}
	var b bytes.Buffer
	if err := export.WriteOParl(&b, em); err != nil {
		return err
	}
	// The packs are in place: the file describing them follows whatever happens.
	paths, err := pipeline.Save(context.Background(), out, m.Committee+" meeting", []pipeline.File{{Ext: ".oparl.json", Data: b.Bytes()}})
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Stdout, paths[0])
	return nil
}
