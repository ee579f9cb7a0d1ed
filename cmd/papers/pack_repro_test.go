package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// papers pack on the sample twice, the second time from the conversion
// cache: the same files, byte for byte, report included.
func TestPackSampleIsReproducible(t *testing.T) {
	needTool(t, "soffice")
	cache := t.TempDir()
	var outs []string
	for range 2 {
		out := t.TempDir()
		if _, stderr, code := papers(t, "pack", "--config", sampleConfig, "--out", out, "--cache", cache); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		outs = append(outs, out)
	}
	for _, name := range []string{
		"Children and Families Scrutiny Panel agenda pack.pdf",
		"Children and Families Scrutiny Panel members pack.pdf",
		"Children and Families Scrutiny Panel meeting.oparl.json",
	} {
		a, err := os.ReadFile(filepath.Join(outs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(outs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs (%d and %d bytes)", name, len(a), len(b))
		}
	}
}
