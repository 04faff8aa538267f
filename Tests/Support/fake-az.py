#!/usr/bin/env python3
"""fake-az.py: the Azure CLI for `login --azure-cli` tests, put on PATH as `az`.

`az account get-access-token --resource R --output json [--tenant T]` signs in to the
emulator named by GIT_CREDENTIAL_AZDO_AUTHORITY the way a person would (device code,
approved through the emulator's control endpoint) and prints the access token as the real
CLI does: JSON on stdout. Its arguments are appended, one run per line, to the file
FAKE_AZ_LOG names. With FAKE_AZ_MODE=signed-out it says what the real CLI says when nobody
ran `az login`, and fails. No proxy is used.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

arguments = sys.argv[1:]
if os.environ.get("FAKE_AZ_LOG"):
    with open(os.environ["FAKE_AZ_LOG"], "a") as log:
        log.write(" ".join(arguments) + "\n")
if arguments[:2] != ["account", "get-access-token"]:
    sys.exit(2)
if os.environ.get("FAKE_AZ_MODE") == "signed-out":
    print("ERROR: Please run 'az login' to setup account.", file=sys.stderr)
    sys.exit(1)

authority = os.environ["GIT_CREDENTIAL_AZDO_AUTHORITY"]
tenant = arguments[arguments.index("--tenant") + 1] if "--tenant" in arguments else "organizations"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(path, form=None):
    body = urllib.parse.urlencode(form or {}).encode()
    with opener.open(authority + path, data=body, timeout=60) as answer:
        return json.loads(answer.read() or b"{}")


client = {"client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46"}
challenge = post(f"/{tenant}/oauth2/v2.0/devicecode", {**client, "scope": "499b84ac-1321-427f-aa17-267ca6975798/.default"})
post("/_emulator/approve?user_code=" + challenge["user_code"])
tokens = post(f"/{tenant}/oauth2/v2.0/token", {
    **client, "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": challenge["device_code"]})
print(json.dumps({"accessToken": tokens["access_token"], "expiresOn": "2026-11-26 12:00:00.000000",
                  "tenant": tenant, "tokenType": "Bearer"}))
