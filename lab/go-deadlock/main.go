// Two transfers lock the same two accounts in opposite order; main waits for both. Once both
// goroutines hold one mutex and wait for the other, nothing can run again and the Go runtime
// stops the program: "fatal error: all goroutines are asleep - deadlock!".
package main

import (
	"sync"
	"time"
)

type account struct {
	mu      sync.Mutex
	balance int
}

func transfer(from, to *account, amount int, wg *sync.WaitGroup) {
	defer wg.Done()
	from.mu.Lock()
	defer from.mu.Unlock()
	time.Sleep(50 * time.Millisecond) // widen the window: both hold their first lock
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

func main() {
	alice, bob := &account{balance: 100}, &account{balance: 100}
	var wg sync.WaitGroup
	wg.Add(2)
	go transfer(alice, bob, 10, &wg)
	go transfer(bob, alice, 20, &wg)
	wg.Wait()
}
