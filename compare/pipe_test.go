package compare

import (
	"context"
	"strings"
	"testing"
)

// TestPipeParity runs every pipe scenario on the C, cgo and Go forms.
func TestPipeParity(t *testing.T) {
	forms := BuiltinForms(binDir)
	for _, sc := range Select("pipe") {
		res := Compare(context.Background(), sc, Pairings(sc.Roles, forms))
		if !res.Agree {
			var b strings.Builder
			Report(&b, []Result{res})
			t.Errorf("%s:\n%s", sc.Name, b.String())
		}
	}
}

func TestPipeReference(t *testing.T) {
	// What the C reference does, as the notes say: the message and a
	// newline, status 0, nothing left behind.
	forms := BuiltinForms(binDir)
	out, err := Execute(context.Background(), pipeScenario("default"), Pairing{forms[0]})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Procs) != 1 || out.Procs[0].Stdout != "Hello World!\n" || out.Procs[0].Exit != 0 || len(out.Leftovers) != 0 {
		t.Errorf("C pipe: %+v", out)
	}
}
