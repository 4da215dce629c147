package main

import (
	"context"
	"fmt"
	"io"

	"shilpkosh/app"
)

const auditSynopsis = "audit verify"

// cmdAudit checks the audit log's hash chain and names the first entry where it breaks.
// It exits 1 when the chain is broken, so a scheduled run can raise an alarm.
func cmdAudit(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stdout, "Usage: shilpkosh "+auditSynopsis)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	fs := newFlags(auditSynopsis, auditSynopsis, stdout)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	_, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := app.VerifyAudit(ctx, db)
	if err != nil {
		return err
	}
	if !v.OK() {
		return fmt.Errorf("audit log broken at entry %d: %s", v.BrokenAt, v.Problem)
	}
	fmt.Fprintf(stdout, "OK: %d entries chained, head %s", v.Entries, v.Head)
	if v.Legacy > 0 {
		fmt.Fprintf(stdout, " (%d entries from before the chain began are not covered)", v.Legacy)
	}
	fmt.Fprintln(stdout)
	return nil
}
