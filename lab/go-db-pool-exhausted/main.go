// A report service whose database/sql pool runs dry: each export job opens a transaction and
// forgets to commit it when the export fails, so the connections it holds never come back.
// With SetMaxOpenConns(8), the 8 leaked transactions hold every connection; the request
// handlers that follow queue in (*DB).conn for a connection that never frees up.
//
// The database is an in-process driver written with the standard library only (memDriver),
// so the scenario needs no server: database/sql's pool behaves the same whatever the driver.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// ---- a driver that answers every query with one row --------------------------------------

type memDriver struct{}
type memConn struct{}
type memTx struct{}
type memStmt struct{}
type memRows struct{ done bool }

func (memDriver) Open(string) (driver.Conn, error) { return memConn{}, nil }

func (memConn) Prepare(string) (driver.Stmt, error) { return memStmt{}, nil }
func (memConn) Close() error                        { return nil }
func (memConn) Begin() (driver.Tx, error)           { return memTx{}, nil }

func (memTx) Commit() error   { return nil }
func (memTx) Rollback() error { return nil }

func (memStmt) Close() error                                 { return nil }
func (memStmt) NumInput() int                                { return -1 }
func (memStmt) Exec([]driver.Value) (driver.Result, error)   { return driver.RowsAffected(1), nil }
func (memStmt) Query([]driver.Value) (driver.Rows, error)    { return &memRows{}, nil }
func (*memRows) Columns() []string                           { return []string{"n"} }
func (*memRows) Close() error                                { return nil }
func (r *memRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}

// ---- the service ---------------------------------------------------------------------------

const maxOpen = 8

// exportReport opens a transaction and, when the export fails, returns without Rollback:
// the transaction (and its connection) stays open until the process dies.
func exportReport(db *sql.DB, id int, started *sync.WaitGroup) error {
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	started.Done()
	if _, err := tx.Exec("INSERT INTO exports VALUES (?)", id); err != nil {
		return err
	}
	return errors.New("upstream storage refused the export") // leaks tx
}

// handleOrders is a request handler: it needs a connection for one query.
func handleOrders(db *sql.DB, id int, queued *sync.WaitGroup) {
	queued.Done()
	rows, err := db.QueryContext(context.Background(), "SELECT count(*) FROM orders WHERE id = ?", id)
	if err != nil {
		return
	}
	rows.Close()
}

func main() {
	sql.Register("mem", memDriver{})
	db, err := sql.Open("mem", "")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(maxOpen)

	var started sync.WaitGroup
	started.Add(maxOpen)
	for i := 0; i < maxOpen; i++ {
		go exportReport(db, i, &started)
	}
	started.Wait()

	var queued sync.WaitGroup
	const handlers = 48
	queued.Add(handlers)
	for i := 0; i < handlers; i++ {
		go handleOrders(db, i, &queued)
	}
	queued.Wait()
	time.Sleep(200 * time.Millisecond) // let every handler park in (*DB).conn

	// SIGUSR1: a goroutine profile (pprof debug=2) into $DUMP_DIR, as /debug/pprof would serve.
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	go func() {
		for range usr1 {
			f, err := os.Create(os.Getenv("DUMP_DIR") + "/pprof.txt")
			if err == nil {
				pprof.Lookup("goroutine").WriteTo(f, 2)
				f.Close()
			}
			fmt.Println("dumped")
		}
	}()
	fmt.Println("ready")
	select {}
}
