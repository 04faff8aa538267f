#!/usr/bin/env python3
# supervise.py SECONDS COMMAND [ARGS...]: runs COMMAND (make test runs the test suite through
# it) so that it can neither hang the run nor leave a process behind.
#   - Every process COMMAND starts stays below this one even when its parent exits first
#     (PR_SET_CHILD_SUBREAPER), so none can slip away.
#   - When COMMAND exits, whatever it left running is listed (pid, age, command line) and
#     killed, and the run fails: a test that leaves a process behind is a bug, and under
#     strace -f (leak-watch.sh) one such process would keep the whole run waiting.
#   - After SECONDS, it lists the tests that started and never finished (from Swift
#     Testing's output) and every process still running, kills them all and exits 124.
# COMMAND's stdout and stderr pass through, merged, on stdout. Exit status: COMMAND's, 1 when
# it left processes behind, 124 at the deadline.
import ctypes
import os
import re
import select
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def descendants():
    """(pid, command line, seconds running) of every live process below this one."""
    parents, starts = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(name)] = int(fields[1])
            starts[int(name)] = int(fields[19])
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime") as handle:
        uptime = float(handle.read().split()[0])
    found, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        frontier += children
        for pid in children:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                command = "?"
            found.append((pid, command[:300], uptime - starts[pid] / ticks))
    return found


def kill_all():
    """SIGKILLs every process below this one until none is left, reaping them."""
    for _ in range(100):
        left = descendants()
        if not left:
            return
        for pid, _, _ in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        time.sleep(0.05)


exited = {}


def reap():
    """Collects every exited child (orphans become this process's children), keeping each
    one's exit status in `exited`."""
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        status = os.waitstatus_to_exitcode(code)
        exited[pid] = status if status >= 0 else 128 - status


def report(title, processes):
    print(f"supervise: {title}", flush=True)
    for pid, command, age in sorted(processes):
        print(f"supervise:   pid {pid}, running {age:.0f} s: {command}", flush=True)


class TestTracker:
    """Tests Swift Testing reported as started and not yet as finished, from its output:
    `◇ Test "name" started.`, then `✔ Test "name" passed after …` or `✘ … failed …`,
    with `with N test cases` before the verb for a parameterized test."""
    ansi = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
    started = re.compile(r'^\S+ Test (".*"|\S+) started\.$')
    finished = re.compile(r'^\S+ Test (".*"|\S+) (?:with \d+ test cases? )?(?:passed|failed|skipped)\b')

    def __init__(self):
        self.running = {}
        self.partial = b""

    def feed(self, data):
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        for raw in lines:
            line = self.ansi.sub("", raw.decode(errors="replace")).rstrip("\r")
            if line[1:7] != " Test " or line[1:12] in (" Test case ", " Test run s", " Test run w"):
                continue
            if match := self.started.match(line):
                self.running[match.group(1)] = time.monotonic()
            elif match := self.finished.match(line):
                self.running.pop(match.group(1), None)


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print("usage: supervise.py SECONDS COMMAND [ARGS...]", file=sys.stderr)
        return 2
    deadline = time.monotonic() + int(sys.argv[1])
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("supervise: cannot become a subreaper (prctl failed), so a process whose parent "
              "exits first goes unnoticed", file=sys.stderr, flush=True)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        os.dup2(write_end, 1)
        os.dup2(write_end, 2)
        os.close(write_end)
        try:
            os.execvp(sys.argv[2], sys.argv[2:])
        except OSError as error:
            print(f"supervise: cannot run {sys.argv[2]}: {error.strerror}", file=sys.stderr)
            os._exit(127)
    os.close(write_end)
    tests, status, open_ = TestTracker(), None, True
    while open_:
        reap()
        if status is None and child in exited:
            status = exited[child]
            left = descendants()
            for _ in range(30):  # a moment for what is already on its way out
                if not left:
                    break
                time.sleep(0.1)
                reap()
                left = descendants()
            if left:
                report(f"the command exited ({status}) but left {len(left)} process(es) running; "
                       "each is a test that did not stop what it started:", left)
                kill_all()
                status = status or 1
        if time.monotonic() > deadline:
            # Oldest first; the runner starts every test at once, so past 40 the list says little.
            names = sorted(tests.running, key=tests.running.get)
            print(f"supervise: still running after {sys.argv[1]} s, so stopped; "
                  f"{len(names)} test(s) had not finished{':' if names else '.'}", flush=True)
            for name in names[:40]:
                print(f"supervise:   {name} (started {time.monotonic() - tests.running[name]:.0f} s ago)", flush=True)
            if len(names) > 40:
                print(f"supervise:   … and {len(names) - 40} more", flush=True)
            report("processes still running:", descendants())
            kill_all()
            return 124
        ready, _, _ = select.select([read_end], [], [], 0.5)
        if ready:
            data = os.read(read_end, 65536)
            if data:
                tests.feed(data)
                os.write(1, data)
            else:
                open_ = False
    # The output ended; the command may still be exiting.
    while status is None:
        reap()
        status = exited.get(child)
        if status is None and time.monotonic() > deadline:
            print(f"supervise: still running after {sys.argv[1]} s, so stopped", flush=True)
            kill_all()
            return 124
        time.sleep(0.05)
    return status

if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
