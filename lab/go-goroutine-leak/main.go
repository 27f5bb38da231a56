// An order service that leaks a goroutine per request: onOrderCreated waits for a reply on an
// unbuffered channel that the notifier never answers once it has given up, so every request
// leaves one goroutine parked in "chan receive" for good.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

type reply struct{ ok bool }

// notify gives up after a short timeout and never sends on ch.
func notify(id int, ch chan reply) {
	select {
	case <-time.After(time.Millisecond):
		return
	}
}

// onOrderCreated blocks forever on ch when notify gave up: the leak.
func onOrderCreated(id int, wg *sync.WaitGroup) {
	ch := make(chan reply)
	go notify(id, ch)
	wg.Done()
	r := <-ch
	_ = r
}

// Create handles one order and spawns its notification goroutine.
func Create(id int, wg *sync.WaitGroup) {
	go onOrderCreated(id, wg)
}

func main() {
	const orders = 2000
	var wg sync.WaitGroup
	wg.Add(orders)
	for i := 0; i < orders; i++ {
		Create(i, &wg)
	}
	wg.Wait()
	time.Sleep(100 * time.Millisecond) // let every notify give up
	// SIGUSR1 writes the goroutine profile with full stacks (what /debug/pprof/goroutine?debug=2
	// serves) to the next numbered file: dumps of a live process, taken a moment apart.
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	go func() {
		for n := 1; ; n++ {
			<-usr1
			f, err := os.Create(fmt.Sprintf("%s/pprof-%d.txt", os.Getenv("DUMP_DIR"), n))
			if err == nil {
				pprof.Lookup("goroutine").WriteTo(f, 2)
				f.Close()
			}
			fmt.Println("dumped", n)
		}
	}()
	fmt.Println("ready")
	// The service goes on taking orders, and each one leaks a goroutine.
	for i := orders; ; i++ {
		wg.Add(1)
		Create(i, &wg)
		time.Sleep(time.Millisecond)
	}
}
