#!/usr/bin/env python3
# supervise.py SECONDS COMMAND [ARGS...]: runs COMMAND (make test runs the test suite through
# it) so that it can neither hang the run nor leave a process behind.
#   - Every process COMMAND starts stays below this one even when its parent exits first
#     (PR_SET_CHILD_SUBREAPER), so none can slip away.
#   - When COMMAND exits, whatever it left running is listed (pid, age, command line) and
#     killed, and the run fails: a test that leaves a process behind is a bug, and one that
#     holds the output open would keep the whole run (leak-watch.sh's tee) waiting.
#   - After SECONDS, it lists the tests that started and never finished and every process
#     still running, kills them all and exits 124.
# Which tests are running comes from Swift Testing's event stream (JSON lines, ABI version 0),
# never from its console text: COMMAND gets SUPERVISE_EVENT_STREAMS, a directory, and each
# test bundle run writes its stream into it (run-tests.sh passes the bundle
# `--event-stream-output-path "$SUPERVISE_EVENT_STREAMS/NAME.jsonl" --event-stream-version 0`).
# The streams are read only at the deadline. At the end the directory is removed or, under
# leak-watch.sh, moved into LEAK_WATCH_KEEP, whose files it scans for secrets.
# Swift Testing's own .timeLimit trait does not replace the deadline: it counts in whole
# minutes, must be written on each test, and bounds neither a hang outside a test nor a
# process a test left behind.
# COMMAND's stdout and stderr pass through, merged, on stdout. Exit status: COMMAND's, 1 when
# it left processes behind, 124 at the deadline.
#
# supervise.py --tally STREAM [LIST_STREAM REGEX]: what one test bundle run's event stream
# says (run-tests.sh uses it for the keyring matrix): one line on stdout,
# "EXPECTED RAN SKIPPED FAILED": how many tests were expected (by default those the run
# planned), how many of them ended, how many tests were skipped and how many recorded an
# issue; the names of those not run, skipped or failed follow on stderr. With LIST_STREAM (the stream of a
# `--list-tests` run) and REGEX (what the run's --filter was given), the tests expected are
# those whose ID (without its source location) REGEX matches, as `--list-tests | grep -E`
# would count them; a test expected and not run is named. Exit status: 0 when every test
# expected (or planned) ended and none was skipped, else 1; 2 when a stream cannot be read.
import ctypes
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time

PR_SET_CHILD_SUBREAPER = 36


def records(path):
    """The records of an event stream; a line not (yet) complete JSON is passed over."""
    try:
        with open(path, "rb") as handle:
            lines = handle.read().split(b"\n")
    except OSError:
        return
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("payload"), dict):
            yield record["kind"], record["payload"]


class Stream:
    """One test bundle run, as its event stream tells it."""

    def __init__(self, path):
        self.tests = {}  # test ID: (kind, display name), for every test the run planned
        self.started, self.ended, self.skipped, self.failed = {}, set(), set(), set()
        for kind, payload in records(path):
            if kind == "test":
                self.tests[payload.get("id")] = (payload.get("kind"), payload.get("displayName") or payload.get("name"))
                continue
            event, test = payload.get("kind"), payload.get("testID")
            if event == "testStarted":
                self.started[test] = payload.get("instant", {}).get("since1970", time.time())
            elif event == "testEnded":
                self.ended.add(test)
            elif event == "testSkipped":
                self.skipped.add(test)
            elif event == "issueRecorded" and test is not None:
                issue = payload.get("issue", {})
                if not issue.get("isKnown") and issue.get("_severity", "error") != "warning":
                    self.failed.add(test)

    def functions(self, ids):
        return {test for test in ids if self.tests.get(test, ("function",))[0] == "function"}

    def name(self, test):
        return f"{bare(test)} ({self.tests.get(test, (None, '?'))[1]})"


def bare(test):
    """A test's ID without the source location Swift Testing appends to a function's."""
    return re.sub(r"/[^/]*\.swift:\d+:\d+$", "", test or "")


def tally(arguments):
    if len(arguments) not in (1, 3):
        print("usage: supervise.py --tally STREAM [LIST_STREAM REGEX]", file=sys.stderr)
        return 2
    for path in arguments[:2]:
        if not os.path.isfile(path):
            print(f"supervise: no event stream at {path}", file=sys.stderr)
            return 2
    run = Stream(arguments[0])
    expected = run.functions(run.tests)
    if len(arguments) == 3:
        listed = Stream(arguments[1])
        run.tests = {**listed.tests, **run.tests}
        pattern = re.compile(arguments[2])
        expected = {test for test in listed.functions(listed.tests) if pattern.search(bare(test))}
    ran, skipped, failed = (run.functions(ids) for ids in (run.ended, run.skipped, run.failed))
    print(len(expected), len(ran & expected), len(skipped), len(failed))
    for title, tests in (("not run", expected - ran - skipped), ("skipped", skipped), ("failed", failed)):
        for test in sorted(tests)[:20]:
            print(f"supervise:   {title}: {run.name(test)}", file=sys.stderr)
        if len(tests) > 20:
            print(f"supervise:   … and {len(tests) - 20} more {title}", file=sys.stderr)
    return 0 if expected and expected <= ran and not skipped else 1


def unfinished(directory):
    """(seconds running, stream name, test) for every test started and not ended, oldest first."""
    found = []
    for entry in sorted(os.listdir(directory)):
        stream = Stream(os.path.join(directory, entry))
        for test in stream.functions(set(stream.started) - stream.ended):
            found.append((time.time() - stream.started[test], entry.removesuffix(".jsonl"), stream.name(test)))
    return sorted(found, reverse=True)


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


def supervise(seconds, command, streams):
    deadline = time.monotonic() + seconds
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("supervise: cannot become a subreaper (prctl failed), so a process whose parent "
              "exits first goes unnoticed", file=sys.stderr, flush=True)
    sys.stdout.flush()
    child = os.fork()
    if child == 0:
        os.dup2(1, 2)
        os.environ["SUPERVISE_EVENT_STREAMS"] = streams
        try:
            os.execvp(command[0], command)
        except OSError as error:
            print(f"supervise: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
            os._exit(127)
    while child not in exited:
        if time.monotonic() > deadline:
            # Oldest first; the runner starts every test at once, so past 40 the list says little.
            tests = unfinished(streams)
            print(f"supervise: still running after {seconds:g} s, so stopped; "
                  f"{len(tests)} test(s) had not finished{':' if tests else '.'}", flush=True)
            for age, run, name in tests[:40]:
                print(f"supervise:   {run}: {name}, started {age:.0f} s ago", flush=True)
            if len(tests) > 40:
                print(f"supervise:   … and {len(tests) - 40} more", flush=True)
            report("processes still running:", descendants())
            kill_all()
            return 124
        time.sleep(0.2)
        reap()
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
    return status


def main():
    if sys.argv[1:2] == ["--tally"]:
        return tally(sys.argv[2:])
    try:
        seconds = float(sys.argv[1])
    except (IndexError, ValueError):
        seconds = -1
    if len(sys.argv) < 3 or seconds <= 0:
        print("usage: supervise.py SECONDS COMMAND [ARGS...] | supervise.py --tally STREAM [LIST_STREAM REGEX]",
              file=sys.stderr)
        return 2
    streams = tempfile.mkdtemp(prefix="azdo-event-streams.")
    try:
        return supervise(seconds, sys.argv[2:], streams)
    finally:
        keep = os.environ.get("LEAK_WATCH_KEEP", "")
        if os.path.isdir(keep):
            shutil.move(streams, keep)
        else:
            shutil.rmtree(streams, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
