#!/usr/bin/env python3
# pty-run.py OUTPUT COMMAND [ARGS...]: runs COMMAND with a pseudo-terminal as its stdin,
# stdout and stderr (as a person at a terminal would), appends everything it prints to
# OUTPUT as it comes, and exits with its status. Tests use it to see terminal-only output.
import os
import pty
import sys

output = open(sys.argv[1], "ab", buffering=0)


def read(fd):
    data = os.read(fd, 4096)
    output.write(data)
    return data


status = pty.spawn(sys.argv[2:], read)
sys.exit(os.waitstatus_to_exitcode(status))
