//go:build unix

package pack

import (
	"os/exec"
	"syscall"
)

// killGroup makes cancelling cmd kill LibreOffice's whole process group:
// soffice starts soffice.bin, which would otherwise outlive it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
