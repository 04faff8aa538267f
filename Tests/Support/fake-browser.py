#!/usr/bin/env python3
"""fake-browser.py URL: the person's browser for `login` tests, named by $BROWSER.

It opens the sign-in URL at the emulator, which answers at once with the redirect to the
login's loopback listener, and follows it, as a browser does. FAKE_BROWSER_MODE changes the
visit: `follow` (the default), `stray` (first a favicon and a request without a state, as
browsers and port scanners send), `wrong-state` (a redirect this login did not start, made
up here: it carries no real code) or `none` (nobody signs in). The listener's status and
page go to the file FAKE_BROWSER_PAGE names, if any. No proxy is used.
"""
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

url = sys.argv[1]
mode = os.environ.get("FAKE_BROWSER_MODE", "follow")
redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0].rstrip("/") + "/"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def visit(target):
    try:
        with opener.open(target, timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


if mode == "none":
    sys.exit(0)
if mode == "stray":
    visit(redirect + "favicon.ico")
    visit(redirect + "?hello=1")
status, page = visit(redirect + "?code=forged&state=forged" if mode == "wrong-state" else url)
if os.environ.get("FAKE_BROWSER_PAGE"):
    with open(os.environ["FAKE_BROWSER_PAGE"], "w") as out:
        out.write(f"{status}\n{page}")
