package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

func dockerfile(t *testing.T) []instruction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || line[0] == '#') {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// TestDockerfile checks what the container must keep, as no Docker engine
// runs here to build it: a Go build stage on the toolchain go.mod asks for,
// building reproducibly and statically; a run stage that is not the build
// image, has LibreOffice for packs, runs as a user that is not root, keeps
// its data in a volume and serves the portal on all addresses by default.
func TestDockerfile(t *testing.T) {
	ins := dockerfile(t)
	var froms []string
	var final []instruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			froms = append(froms, in.args)
			final = nil
		}
		final = append(final, in)
	}
	if len(froms) < 2 {
		t.Fatalf("want a build stage and a run stage, got FROM %q", froms)
	}
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if goVersion == nil || !strings.HasPrefix(froms[0], "golang:"+string(goVersion[1])+"-") {
		t.Errorf("build stage FROM %q: want golang:%s-…, the Go that go.mod asks for", froms[0], goVersion[1])
	}
	if strings.HasPrefix(froms[len(froms)-1], "golang") {
		t.Errorf("the image runs from the build image %q", froms[len(froms)-1])
	}
	var build, all string
	for _, in := range ins {
		all += in.cmd + " " + in.args + "\n"
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			build = in.args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-buildid=", "./cmd/papers"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build %q lacks %s", build, want)
		}
	}
	last := map[string]string{}
	for _, in := range final {
		last[in.cmd] = in.args
	}
	if u := last["USER"]; u == "" || u == "root" || strings.HasPrefix(u, "0") {
		t.Errorf("run stage USER %q: want a user that is not root", u)
	}
	if !strings.Contains(all, "libreoffice-writer-nogui") {
		t.Error("the image lacks LibreOffice, which agenda packs need to convert Word papers")
	}
	checks := map[string]string{
		"ENTRYPOINT": `["papers"]`,
		"CMD":        `["serve", "--addr", "0.0.0.0:8080"]`,
		"VOLUME":     `["/srv/papers"]`,
		"WORKDIR":    "/srv/papers",
		"EXPOSE":     "8080",
	}
	for cmd, want := range checks {
		if last[cmd] != want {
			t.Errorf("run stage %s %q, want %q", cmd, last[cmd], want)
		}
	}
	ignore, err := os.ReadFile(filepath.Join("..", "..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "output", "*.db"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(ignore) {
			t.Errorf(".dockerignore lacks %s: the build context would carry it into the image", want)
		}
	}
}

// TestDockerfileLint runs BuildKit's own Dockerfile parser and the lint
// rules it applies while parsing (those of docker build --check that need
// no build: stage name casing, deprecated instructions, empty
// continuations and the like), as no Docker engine runs here.
func TestDockerfileLint(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	for _, w := range res.Warnings {
		t.Errorf("Dockerfile: %s", w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, at []parser.Range) {
		line := 0
		if len(at) > 0 {
			line = at[0].Start.Line
		}
		t.Errorf("Dockerfile line %d: %s: %s", line, rule, msg)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	if len(stages) != 2 || stages[0].Name != "build" {
		t.Errorf("stages %d, first named %q: want a build stage named build and a run stage", len(stages), stages[0].Name)
	}
}

// TestReleaseBuildReproducible builds the Linux release binary twice, into
// different folders, with deploy/release.sh: the bytes must match, and the
// binary must carry neither this machine's paths nor a build ID.
func TestReleaseBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds papers twice")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var bins [2][]byte
	for i := range bins {
		dist := t.TempDir()
		cmd := exec.Command(filepath.Join(root, "deploy", "release.sh"))
		cmd.Env = append(os.Environ(), "TARGETS=linux/amd64", "DIST="+dist)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("release.sh: %v\n%s", err, out)
		}
		if bins[i], err = os.ReadFile(filepath.Join(dist, "papers-linux-amd64")); err != nil {
			t.Fatal(err)
		}
		sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
		if err != nil || !strings.Contains(string(sums), "papers-linux-amd64") {
			t.Errorf("SHA256SUMS %q: %v", sums, err)
		}
	}
	if !bytes.Equal(bins[0], bins[1]) {
		t.Error("two release builds of the same commit differ")
	}
	if bytes.Contains(bins[0], []byte(root)) {
		t.Errorf("the release binary holds the build folder %s", root)
	}
	bin := filepath.Join(t.TempDir(), "papers")
	if err := os.WriteFile(bin, bins[0], 0o755); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, info)
	}
	// The version and commit papers version shows come from git, when the
	// tests run in a clone (as CI's are).
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		if !strings.Contains(string(info), "vcs.revision=") {
			t.Errorf("the release binary records no commit for papers version:\n%s", info)
		}
	}
	for _, want := range []string{"-trimpath=true", "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("build information lacks %s:\n%s", want, info)
		}
	}
}
