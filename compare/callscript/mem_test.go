//go:build linux

package callscript

import (
	"os"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// TestBadPointerRefusals: where glibc itself reads a bad pointer (the
// process dies of SIGSEGV, no errno), where BADPTR stands for a number,
// where MAP_FIXED would replace memory the script does not own, and where
// mount would act outside the sandbox's mount namespace, the script is
// wrong: an error naming the line, never a result.
func TestBadPointerRefusals(t *testing.T) {
	t.Chdir(t.TempDir())
	// The sem_timedwait case refuses its line 2, after line 1 made the
	// host's semaphore /s$RUN: remove it (glibc's file for it).
	t.Cleanup(func() { os.Remove("/dev/shm/sem.s" + testToken) })
	for _, tc := range []struct{ text, want string }{
		{"sem_post(NULL)", "refusal.calls:1:10: sem_post(NULL): glibc reads the sem_t in user space, and the process dies of SIGSEGV"},
		{"sem_wait(BADPTR)", "refusal.calls:1:10: sem_wait(BADPTR): glibc reads the sem_t"},
		{"sem_init(NULL, 0, 1)", "refusal.calls:1:10: sem_init(NULL): glibc reads the sem_t"},
		{"sem_destroy(NULL)", "refusal.calls:1:13: sem_destroy(NULL): glibc reads the sem_t"},
		{`sem_open("/s$RUN", O_CREAT, 0600, 0) = $s` + "\nsem_timedwait($s, NULL)\nsem_close($s) = 0\nsem_unlink(\"/s$RUN\") = 0",
			"refusal.calls:2:19: sem_timedwait(NULL): glibc reads the deadline"},
		{"close(BADPTR)", "refusal.calls:1:7: BADPTR is a pointer, not a number"},
		{"mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\nmmap($a, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
			"refusal.calls:2:6: mmap with MAP_FIXED at $a: 8192 bytes do not lie within its 4096"},
		{"mmap(4096, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)", "refusal.calls:1:6: 4096: mmap's address is NULL or a mapping ($m)"},
		// mount outside the sandbox would change the host's mounts.
		{`mkdir("a", 0700) = 0` + "\nmount(\"a\", \"a\", NULL, MS_BIND, NULL)", "refusal.calls:2:1: mount and umount2 run only in the sandbox"},
		{`umount2("a", 0)`, "refusal.calls:1:1: mount and umount2 run only in the sandbox"},
		{"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\npeek($a, 4095, buf, 2)", "refusal.calls:2:21: peek: 2 bytes at 4095 do not lie within the mapping's 4096"},
	} {
		s, err := scriptLang.Parse("refusal.calls", tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		var out strings.Builder
		_, err = scriptLang.Exec(s, goside.API(), testToken, &out)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s...", tc.text, err, tc.want)
		}
	}
}
