//go:build !unix

package pack

import "os/exec"

// killGroup leaves cancellation to os/exec, which kills soffice only.
func killGroup(cmd *exec.Cmd) {}
