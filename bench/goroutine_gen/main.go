// goroutine_gen: starts a service-shaped mix of goroutines (a leak parked in chan receive, a
// convoy on one mutex, pollers in select, sleepers, workers waiting on a WaitGroup) and writes
// the runtime's goroutine dump with full stacks (pprof debug=2) to stdout. bench/goroutine_compare.sh
// concatenates several such dumps into one file of about a million goroutines.
//
//	go run . -n 50000 > dump.txt
package main

import (
	"flag"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type order struct{ id int }

func onOrderCreated(o order, replies chan struct{}) {
	<-replies // never answered: the leak
}

func createOrder(id int, replies chan struct{}) {
	go onOrderCreated(order{id}, replies)
}

var cacheMu sync.Mutex

func cacheGet(key int) int {
	cacheMu.Lock() // held by main for good: the convoy
	defer cacheMu.Unlock()
	return key
}

func poll(stop chan struct{}) {
	t := time.NewTicker(time.Hour)
	select {
	case <-t.C:
	case <-stop:
	}
}

func batch(wg *sync.WaitGroup) { wg.Wait() }

func main() {
	n := flag.Int("n", 50000, "goroutines to start")
	flag.Parse()
	replies := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	cacheMu.Lock()
	for i := 0; i < *n; i++ {
		switch {
		case i%10 < 6:
			createOrder(i, replies)
		case i%10 < 8:
			go cacheGet(i)
		case i%10 < 9:
			go poll(stop)
		default:
			if i%20 == 9 {
				go time.Sleep(time.Hour)
			} else {
				go batch(&wg)
			}
		}
	}
	time.Sleep(500 * time.Millisecond) // let every goroutine park
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
