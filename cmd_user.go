package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"shilpkosh/app"
	"shilpkosh/policies"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(stdout, "Usage: shilpkosh user add|passwd|list [options]   (each takes --help)")
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	run := map[string]func(context.Context, *app.Users, []string, io.Reader, io.Writer) error{
		"add": userAdd, "passwd": userPasswd, "list": userList,
	}[sub]
	if run == nil {
		return fmt.Errorf("unknown subcommand %q (want add, passwd or list)", sub)
	}
	cfg, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, cfg, db); err != nil {
		return err
	}
	authz, err := policies.New(ctx, db)
	if err != nil {
		return err
	}
	return run(ctx, &app.Users{DB: db, Authz: authz}, rest, stdin, stdout)
}

func userAdd(ctx context.Context, users *app.Users, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("user add", "user add --username U --name N --role R [--districts a,b] [--store-id N] [--password-stdin]", stdout)
	in := app.NewUser{}
	fs.StringVar(&in.Username, "username", "", "login name (lowercase letters, digits, . _ -)")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.StringVar(&in.Role, "role", "", "state_admin, board_official, dic_officer, data_entry, store_manager or auditor")
	districts := fs.String("districts", "", "comma-separated district slugs for district roles (e.g. jaipur,jodhpur)")
	storeID := fs.Int64("store-id", 0, "the store of a store_manager")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, d := range strings.Split(*districts, ",") {
		if d = strings.TrimSpace(d); d != "" {
			in.Districts = append(in.Districts, d)
		}
	}
	if *storeID > 0 {
		in.StoreID = storeID
	}
	password, generated, err := readPassword(*fromStdin, stdin)
	if err != nil {
		return err
	}
	in.Password = password
	u, err := users.Create(ctx, app.System, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created user %q (id %d).\n", u.Username, u.ID)
	if generated {
		fmt.Fprintf(stdout, "Password (shown once): %s\n", password)
	}
	return nil
}

func userPasswd(ctx context.Context, users *app.Users, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("user passwd", "user passwd [--password-stdin] USERNAME", stdout)
	fromStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	password, generated, err := readPassword(*fromStdin, stdin)
	if err != nil {
		return err
	}
	if err := users.SetPassword(ctx, app.System, fs.Arg(0), password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Password of %q changed; the user's sessions have ended.\n", fs.Arg(0))
	if generated {
		fmt.Fprintf(stdout, "New password (shown once): %s\n", password)
	}
	return nil
}

func userList(ctx context.Context, users *app.Users, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("user list", "user list", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	all, err := users.ListAll(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tNAME\tROLE\tDISTRICTS\tACTIVE")
	for _, u := range all {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%v\n", u.ID, u.Username, u.Name, u.Role, strings.Join(u.Districts, ","), u.Active)
	}
	return tw.Flush()
}

// readPassword takes the password from standard input when asked, or makes one up.
func readPassword(fromStdin bool, stdin io.Reader) (string, bool, error) {
	if !fromStdin {
		return app.RandomPassword(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// describe spells out field errors for the terminal, where no translation layer runs.
func describe(err error) error {
	var e *app.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	var parts []string
	for field, m := range e.Fields {
		parts = append(parts, field+": "+m.Key)
	}
	return fmt.Errorf("invalid input: %s", strings.Join(parts, "; "))
}
