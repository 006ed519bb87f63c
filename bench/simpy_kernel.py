# The kernel benchmark's workload in SimPy 2.3 (Debian python3-simpy): 1,000 processes, each waiting
# random delays in a loop, until N timeouts have fired. Prints "<events> <seconds>".
import random
import sys
import time

from SimPy.Simulation import Process, activate, hold, initialize, simulate, stopSimulation

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
PROCS = 1000
count = [0]
rng = random.Random(1)


class Waiter(Process):
    def run(self):
        while True:
            yield hold, self, rng.randint(1, 10_000)
            count[0] += 1
            if count[0] >= N:
                stopSimulation()


initialize()
for i in range(PROCS):
    w = Waiter()
    activate(w, w.run())
t0 = time.perf_counter()
simulate(until=10**15)
t1 = time.perf_counter()
print(count[0], t1 - t0)
