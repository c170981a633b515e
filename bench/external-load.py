#!/usr/bin/env python3
"""CPU of a running `./jobway up` under an open-loop load of echo submits, from outside its JVM.

Usage: bench/external-load.py PORT API_KEY PID RATE SECONDS
  PORT, API_KEY  the runtime's HTTP API port and a key it accepts (JOBWAY_LOCAL_API_KEY)
  PID            the runtime JVM's pid: its CPU is read from /proc/PID/stat before and after
  RATE, SECONDS  submits per second (each due at start + i/RATE, on its own thread), and for how long
Prints the answers by status, the runtime's CPU in cores over the run (+2 s to drain), and submit p50/p99.
Unlike `./jobway bench load`, the load's client is not in the JVM measured, and no WebSocket subscriber listens.
"""

import sys
import threading
import time
import urllib.error
import urllib.request


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main():
    port, key, pid, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    latencies, answers, lock = [], {}, threading.Lock()

    def submit(due):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/jobs", data=b'{"type":"echo","payload":{}}',
                                         headers={"authorization": "Bearer " + key,
                                                  "content-type": "application/json"})
        try:
            status = urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as e:
            status = e.code
        with lock:
            answers[status] = answers.get(status, 0) + 1
            latencies.append(time.time() - due)  # from when it was due: a stalled server is not hidden

    start, ticks_before, threads = time.time(), cpu_ticks(pid), []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        time.sleep(max(0.0, due - time.time()))
        thread = threading.Thread(target=submit, args=(due,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    time.sleep(2)  # the last jobs run
    wall = time.time() - start
    cores = (cpu_ticks(pid) - ticks_before) / 100 / wall  # USER_HZ is 100 on Linux
    latencies.sort()
    print(f"answers {answers}  cpu {cores:.2f} cores over {wall:.0f} s  submit p50 "
          f"{latencies[len(latencies) // 2] * 1000:.0f} ms  p99 {latencies[int(len(latencies) * .99)] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
