// Command mutants measures what the project catches: it applies
// translation mistakes, one at a time, to a temporary copy of the module
// and counts those the parity run and the tests kill. Linux only;
// elsewhere it says so and exits 2. See list.go.
package main
