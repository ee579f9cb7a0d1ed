package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

var reminderKey = NotificationKey{Kind: "reminder", Plan: "Learning Report Action Plan", Quarter: "2021-Q1",
	Recipient: "ann@example.gov.uk", Deadline: "2021-01-15"}

func TestNotificationClaimedOnce(t *testing.T) { backends(t, testNotificationClaimedOnce) }

func testNotificationClaimedOnce(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	n, ok, err := db.ClaimNotification(ctx, reminderKey, "Your return", t0, t0.Add(-time.Hour))
	if err != nil || !ok {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	// Another process, while the first is sending: not claimed.
	if _, ok, err := db.ClaimNotification(ctx, reminderKey, "Your return", t0.Add(time.Minute), t0.Add(-time.Hour)); err != nil || ok {
		t.Fatalf("claim while sending: %v, %v; want not claimed", ok, err)
	}
	if err := db.NotificationSent(ctx, n.ID, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	// Sent: never claimed again, whatever the time, and the key ignores case.
	k := reminderKey
	k.Recipient = "ANN@example.gov.uk"
	if _, ok, err := db.ClaimNotification(ctx, k, "Your return", t0.Add(48*time.Hour), t0.Add(47*time.Hour)); err != nil || ok {
		t.Fatalf("claim after sent: %v, %v; want not claimed", ok, err)
	}
	got, err := db.NotificationByKey(ctx, reminderKey)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != NotificationSent || got.Attempts != 1 || !got.SentAt.Equal(t0.Add(time.Second)) {
		t.Errorf("record: %+v", got)
	}
	// A new deadline is a new event.
	k.Deadline = "2021-01-22"
	if _, ok, err := db.ClaimNotification(ctx, k, "Your return", t0, t0.Add(-time.Hour)); err != nil || !ok {
		t.Errorf("claim for a new deadline: %v, %v; want claimed", ok, err)
	}
}

func TestNotificationRetriedAfterFailure(t *testing.T) {
	backends(t, testNotificationRetriedAfterFailure)
}

func testNotificationRetriedAfterFailure(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	n, _, _ := db.ClaimNotification(ctx, reminderKey, "s", t0, t0.Add(-time.Hour))
	if err := db.NotificationFailed(ctx, n.ID, "451 try again later", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.ClaimNotification(ctx, reminderKey, "s", t0.Add(5*time.Minute), t0.Add(-time.Hour)); ok {
		t.Error("claimed before its retry time")
	}
	n2, ok, err := db.ClaimNotification(ctx, reminderKey, "s", t0.Add(10*time.Minute), t0.Add(-time.Hour))
	if err != nil || !ok || n2.ID != n.ID || n2.Attempts != 2 {
		t.Fatalf("retry: %+v, %v, %v", n2, ok, err)
	}
	got, _ := db.NotificationByKey(ctx, reminderKey)
	if got.LastError != "451 try again later" {
		t.Errorf("last error %q kept until the retry's outcome", got.LastError)
	}
	// A claim whose process died is taken over once stale.
	if _, ok, _ := db.ClaimNotification(ctx, reminderKey, "s", t0.Add(time.Hour), t0.Add(10*time.Minute)); !ok {
		t.Error("a stale claim was not taken over")
	}
	if err := db.NotificationSent(ctx, 999, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("finishing an unknown notification: %v", err)
	}
}

// Two processes with the database open claim the same notifications at
// once: each is claimed by exactly one.
func TestNotificationClaimAcrossProcesses(t *testing.T) {
	backends(t, testNotificationClaimAcrossProcesses)
}

func testNotificationClaimAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := testDatabase(t, "papers.db")
	dbs := make([]*DB, 2)
	for i := range dbs {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	const n = 40
	var mu sync.Mutex
	claims := map[string]int{}
	var wg sync.WaitGroup
	for _, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				k := reminderKey
				k.Recipient = string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.gov.uk"
				_, ok, err := db.ClaimNotification(ctx, k, "s", t0, t0.Add(-time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					claims[k.Recipient]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(claims) != n {
		t.Errorf("%d of %d notifications claimed", len(claims), n)
	}
	for r, c := range claims {
		if c != 1 {
			t.Errorf("%s claimed %d times", r, c)
		}
	}
}

// TestNotificationClaimInChildProcesses: two processes (this test binary,
// run twice at once) claim the same notifications from one database, as
// two portals' schedulers would: each is claimed by exactly one. Each child
// prints what it claimed.
func TestNotificationClaimInChildProcesses(t *testing.T) {
	backends(t, testNotificationClaimInChildProcesses)
}

func testNotificationClaimInChildProcesses(t *testing.T) {
	const n = 60
	key := func(i int) NotificationKey {
		k := reminderKey
		k.Recipient = fmt.Sprintf("officer%02d@example.gov.uk", i)
		return k
	}
	if path := os.Getenv("STORE_TEST_CLAIM_DB"); path != "" {
		ctx := context.Background()
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for i := range n {
			_, ok, err := db.ClaimNotification(ctx, key(i), "s", t0, t0.Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				fmt.Printf("claimed %s\n", key(i).Recipient)
			}
		}
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := testDatabase(t, "papers.db")
	db, err := Open(context.Background(), path) // migrated before the children start
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	outs := make([]strings.Builder, 2)
	var cmds []*exec.Cmd
	for i := range outs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNotificationClaimInChildProcesses$/^"+strings.Split(t.Name(), "/")[1]+"$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "STORE_TEST_CLAIM_DB="+path)
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	claims := map[string]int{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i].String())
		}
		for _, line := range strings.Split(outs[i].String(), "\n") {
			if r, ok := strings.CutPrefix(line, "claimed "); ok {
				claims[r]++
			}
		}
	}
	if len(claims) != n {
		t.Errorf("%d of %d notifications claimed", len(claims), n)
	}
	for r, c := range claims {
		if c != 1 {
			t.Errorf("%s claimed by %d processes", r, c)
		}
	}
	ns, err := db.Notifications(context.Background(), 2*n)
	if err != nil || len(ns) != n {
		t.Errorf("%d notifications recorded (error %v), want %d", len(ns), err, n)
	}
}
