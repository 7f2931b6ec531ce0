//go:build linux

package runner

import (
	"encoding/json"
	"testing"
)

// What a process wrote, and the arguments a run gives, travel byte for
// byte between the runner and a sandbox, UTF-8 or not.
func TestBytesTravelWhole(t *testing.T) {
	const notUTF8 = "\xff\xfe\x80caf\xe9 \xc3("
	for _, in := range []Text{"Hello World!\n", notUTF8, ""} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out Text
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Errorf("Text %q came back as %q (%v) through %s", in, out, err, b)
		}
	}
	b, err := json.Marshal(toRaw([]string{notUTF8, "plain"}))
	if err != nil {
		t.Fatal(err)
	}
	var r raw
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if got := r.strings(); len(got) != 2 || got[0] != notUTF8 || got[1] != "plain" {
		t.Errorf("arguments came back as %q", got)
	}
}
