package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"papers/internal/compare"
	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/store"
	"papers/internal/workbook"
)

// config is config.yaml. Paths in it are relative to the file's folder.
type config struct {
	Council string `mapstructure:"council"`
	Meeting struct {
		Committee string `mapstructure:"committee"`
		Date      string `mapstructure:"date"`
		Time      string `mapstructure:"time"`
		Venue     string `mapstructure:"venue"`
	} `mapstructure:"meeting"`
	Report struct {
		Name          string `mapstructure:"name"`
		DecisionMaker string `mapstructure:"decision_maker"`
		Subject       string `mapstructure:"subject"`
		ReportOf      string `mapstructure:"report_of"`
		PlanName      string `mapstructure:"plan_name"`
		Contact       struct {
			Title string `mapstructure:"title"`
			Name  string `mapstructure:"name"`
			Tel   string `mapstructure:"tel"`
			Email string `mapstructure:"email"`
		} `mapstructure:"contact"`
		Confidentiality string `mapstructure:"confidentiality"`
		KeyDecision     string `mapstructure:"key_decision"`
		Wards           string `mapstructure:"wards"`
		AsOf            string `mapstructure:"as_of"`
		Templates       string `mapstructure:"templates"`
	} `mapstructure:"report"`
	Inputs struct {
		Baseline string `mapstructure:"baseline"`
		Previous string `mapstructure:"previous"`
		Current  string `mapstructure:"current"`
	} `mapstructure:"inputs"`
	Compare struct {
		DueSoonDays            *int              `mapstructure:"due_soon_days"` // nil: the default; 0 means 0
		MatchThreshold         float64           `mapstructure:"match_threshold"`
		PossibleMatchThreshold float64           `mapstructure:"possible_match_threshold"`
		RAG                    map[string]string `mapstructure:"rag"`
	} `mapstructure:"compare"`
	Ingest struct {
		Columns    map[string][]string `mapstructure:"columns"`
		RAGColours map[string]string   `mapstructure:"rag_colours"`
		Roles      []struct {
			Name string `mapstructure:"name"`
			Role string `mapstructure:"role"`
		} `mapstructure:"roles"`
		MaxRows int `mapstructure:"max_rows"` // 0: workbook's default
		// Layouts are sheets' layouts saved by papers check --save-layout.
		Layouts []struct {
			Headings []string          `mapstructure:"headings"`
			Columns  map[string]string `mapstructure:"columns"`
		} `mapstructure:"layouts"`
	} `mapstructure:"ingest"`

	Schedule struct {
		Cron string `mapstructure:"cron"`
		Lock string `mapstructure:"lock"`
	} `mapstructure:"schedule"`

	path string // the file it was read from ("" for none)
	dir  string // its folder: relative paths start here
}

// loadConfig reads the --config file. A file named with --config must
// exist; with no --config and no config.yaml in the current folder, the
// built-in defaults apply (commands whose output they shape say so with
// sayDefaults).
func loadConfig(cmd *cobra.Command) (*config, error) {
	path, _ := cmd.Flags().GetString("config")
	return readConfig(path, !cmd.Flags().Changed("config"))
}

// sayDefaults tells w, once per command, that no config file was found and
// which defaults the report's wording takes instead. Commands that only
// read or compare workbooks stay quiet: the defaults change nothing they
// print.
func (c *config) sayDefaults(w io.Writer) {
	if c.path != "" {
		return
	}
	fmt.Fprintf(w, "papers: note: no config.yaml here: using the built-in defaults (council %q, committee %q, the built-in report wording, due soon within %d days); give the meeting and workbooks on the command line, or --config FILE\n",
		c.Council, c.Meeting.Committee, compare.DefaultDueSoonDays)
}

// Defaults for a run with no config file.
const (
	defaultCouncil   = "Council"
	defaultCommittee = "Committee"
)

// readConfig reads a config file; when optional, a missing file gives the
// defaults. Keys papers does not know are errors naming their line.
func readConfig(path string, optional bool) (*config, error) {
	cfg := &config{dir: "."}
	data, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			cfg.Council = defaultCouncil
			cfg.Meeting.Committee = defaultCommittee
			return cfg, nil
		}
		return nil, fmt.Errorf("cannot read config %s: %s", path, pathReason(err))
	}
	if err := checkConfigKeys(path, data); err != nil {
		return nil, err
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	hook := viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(dateToString, mapstructure.StringToSliceHookFunc(",")))
	if err := v.Unmarshal(cfg, hook); err != nil {
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	cfg.path = path
	cfg.dir = filepath.Dir(path)
	return cfg, nil
}

// name is the config file's name for messages: the file read, or the one
// papers looked for.
func (c *config) name() string {
	if c.path == "" {
		return "config.yaml"
	}
	return c.path
}

// dateToString lets YAML dates (2020-11-26, which YAML reads as a time)
// fill string fields.
func dateToString(from, to reflect.Type, data any) (any, error) {
	if t, ok := data.(time.Time); ok && to.Kind() == reflect.String {
		return t.Format("2006-01-02"), nil
	}
	return data, nil
}

// resolve makes a config path absolute against the config's folder.
func (c *config) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}

// resolveDatabase is resolve for portal.database, which may instead be a
// postgres:// URL.
func (c *config) resolveDatabase(p string) string {
	if store.IsPostgres(p) {
		return strings.TrimSpace(p)
	}
	return c.resolve(p)
}

// parseDay reads a YYYY-MM-DD date given in config or on the command line.
func parseDay(what, s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a date: write it as YYYY-MM-DD", what, s)
	}
	return t, nil
}

// ingestOptions are the workbook reader's options with the config's additions.
func (c *config) ingestOptions() workbook.Options {
	opt := workbook.DefaultOptions()
	for field, names := range c.Ingest.Columns {
		opt.Columns[field] = appendNew(opt.Columns[field], names...)
	}
	if len(c.Ingest.RAGColours) > 0 {
		if opt.RAGColours == nil {
			opt.RAGColours = map[string]plan.RAG{}
		}
		for hex, rag := range c.Ingest.RAGColours {
			opt.RAGColours[strings.ToUpper(strings.TrimPrefix(hex, "#"))] = ragOf(rag)
		}
	}
	if c.Ingest.MaxRows > 0 {
		opt.MaxRows = c.Ingest.MaxRows
	}
	file := "config.yaml" // where it would go
	if c.path != "" {
		file = filepath.Base(c.path)
	}
	opt.MaxRowsSetting = "ingest.max_rows in " + file
	for _, l := range c.Ingest.Layouts {
		opt.Layouts = append(opt.Layouts, workbook.SavedLayout{Headings: l.Headings, Columns: l.Columns})
	}
	if len(c.Ingest.Roles) > 0 {
		if opt.Roles == nil {
			opt.Roles = map[string]string{}
		}
		for _, r := range c.Ingest.Roles {
			opt.Roles[r.Name] = r.Role
		}
	}
	return opt
}

func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, l := range list {
			if strings.EqualFold(l, m) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}

func ragOf(s string) plan.RAG {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "red", "r":
		return plan.RAGRed
	case "amber", "a":
		return plan.RAGAmber
	case "green", "g":
		return plan.RAGGreen
	case "blue", "b":
		return plan.RAGBlue
	}
	return plan.RAGNone
}

// compareOptions are the comparison's options as of asOf.
func (c *config) compareOptions(asOf time.Time) (compare.Options, error) {
	opt := compare.DefaultOptions(asOf)
	if d := c.Compare.DueSoonDays; d != nil {
		if *d < 0 {
			return opt, fmt.Errorf("config %s: compare.due_soon_days: %d: must be 0 or more", c.name(), *d)
		}
		opt.DueSoonDays = *d
	}
	if c.Compare.MatchThreshold > 0 {
		opt.MatchThreshold = c.Compare.MatchThreshold
	}
	if c.Compare.PossibleMatchThreshold > 0 {
		opt.PossibleThreshold = c.Compare.PossibleMatchThreshold
	}
	for k, v := range c.Compare.RAG {
		rag := ragOf(v)
		if rag == plan.RAGNone && strings.TrimSpace(v) != "" {
			return opt, fmt.Errorf("config %s: compare.rag.%s: %q is not Red, Amber, Green or Blue", c.name(), k, v)
		}
		if k == "slipped" {
			opt.RAG.Slipped = rag
			continue
		}
		st := plan.Status(k)
		known := false
		for _, s := range plan.Statuses {
			known = known || s == st
		}
		if !known {
			return opt, fmt.Errorf("config %s: compare.rag: unknown status %q (use overdue, due_soon, on_track, no_date, complete, complete_late, slipped)", c.name(), k)
		}
		if opt.RAG.ByStatus == nil {
			opt.RAG.ByStatus = map[plan.Status]plan.RAG{}
		}
		opt.RAG.ByStatus[st] = rag
	}
	return opt, nil
}

// meta is what the report says about the meeting.
func (c *config) meta(meeting time.Time, dueSoon int) report.Meta {
	return report.Meta{
		Council:         c.Council,
		Committee:       c.Meeting.Committee,
		MeetingDate:     meeting,
		DecisionMaker:   or(c.Report.DecisionMaker, c.Meeting.Committee),
		Subject:         or(c.Report.Subject, "Progress against the action plan"),
		ReportOf:        c.Report.ReportOf,
		PlanName:        or(c.Report.PlanName, "action plan"),
		Contact:         report.Contact(c.Report.Contact),
		Confidentiality: or(c.Report.Confidentiality, "None"),
		KeyDecision:     or(c.Report.KeyDecision, "No"),
		Wards:           or(c.Report.Wards, "All Wards"),
		DueSoonDays:     dueSoon,
	}
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// pipelineSettings are the report's settings from config: comparison rules
// as at asOf, the meeting, the wording template and the house Word template.
func (c *config) pipelineSettings(asOf, meeting time.Time) (pipeline.Settings, error) {
	copt, err := c.compareOptions(asOf)
	if err != nil {
		return pipeline.Settings{}, err
	}
	dir := c.resolve(or(c.Report.Templates, "templates"))
	tpl, house, err := c.templates(dir)
	if err != nil {
		return pipeline.Settings{}, err
	}
	return pipeline.Settings{
		Compare:       copt,
		Meta:          c.meta(meeting, copt.DueSoonDays),
		Template:      tpl,
		HouseTemplate: house,
	}, nil
}

// templates reads the wording template and finds the Word house template in
// dir. With no report.templates in config, a missing folder or file means
// the built-in wording; when config names the folder, the council's wording
// is expected there, and its absence is an error rather than a report that
// silently goes out in other words.
func (c *config) templates(dir string) (report.Template, string, error) {
	named := c.Report.Templates != ""
	hint := "remove report.templates from " + c.name() + " to use the built-in wording"
	if named {
		st, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return report.Template{}, "", fmt.Errorf("the templates folder %s (report.templates in %s) does not exist: restore it, or %s", dir, c.name(), hint)
		case err != nil:
			return report.Template{}, "", fmt.Errorf("cannot read the templates folder %s (report.templates in %s): %s", dir, c.name(), pathReason(err))
		case !st.IsDir():
			return report.Template{}, "", fmt.Errorf("the templates folder %s (report.templates in %s) is not a folder: name the folder that holds %s, or %s", dir, c.name(), report.CoverTemplateName, hint)
		}
	}
	path := filepath.Join(dir, report.CoverTemplateName)
	tpl, found, err := report.LoadTemplate(dir)
	switch {
	case err != nil:
		return report.Template{}, "", fmt.Errorf("cannot read the report's wording %s: %s: fix the file, or delete it to use the built-in wording", path, pathReason(err))
	case !found && named:
		return report.Template{}, "", fmt.Errorf("the report's wording %s is missing: put the council's copy back, or %s", path, hint)
	}
	house := houseTemplate(dir)
	if house != "" {
		f, err := os.Open(house)
		if err != nil {
			return report.Template{}, "", fmt.Errorf("cannot read the Word house template %s: %s: replace it, or move it out of %s to use the built-in layout", house, pathReason(err), dir)
		}
		f.Close()
	}
	return tpl, house, nil
}

// houseTemplate is the council's Word template in the templates folder, if any.
func houseTemplate(dir string) string {
	if dir == "" {
		return ""
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*.docx"))
	sort.Strings(m)
	if len(m) == 0 {
		return ""
	}
	return m[0]
}

// pathReason is the system's words for a file error, without the path the
// message names already.
func pathReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
