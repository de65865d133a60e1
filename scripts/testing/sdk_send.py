#!/usr/bin/env python3
"""Sends every Segment call type through an official SDK to a Sluice server (test tooling).

usage: sdk_send.py --sdk segment|rudder --host URL --write-key KEY [--gzip|--no-gzip] --prefix ID [--tracks N]
Prints one JSON object: {"sent": {messageId: type, ...}, "errors": [...]}; exits 1 if the SDK reported an error.
"""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--sdk", choices=["segment", "rudder"], required=True)
parser.add_argument("--host", required=True)
parser.add_argument("--write-key", required=True)
parser.add_argument("--gzip", dest="gzip", action="store_true", default=None)
parser.add_argument("--no-gzip", dest="gzip", action="store_false")
parser.add_argument("--prefix", required=True)
parser.add_argument("--tracks", type=int, default=5)
args = parser.parse_args()

errors = []


def on_error(error, items):
    errors.append(f"{error!r} ({len(items)} items)")


if args.sdk == "segment":
    from segment.analytics import Client
    gzip = False if args.gzip is None else args.gzip
else:
    from rudderstack.analytics import Client
    gzip = True if args.gzip is None else args.gzip

client = Client(args.write_key, host=args.host, gzip=gzip, on_error=on_error, upload_interval=0.1, max_retries=3)
sent = {}


def mid(kind, n=0):
    message_id = f"{args.prefix}-{kind}-{n}"
    sent[message_id] = kind
    return message_id


user = f"user-{args.prefix}"
for n in range(args.tracks):
    client.track(user_id=user, event="Order Completed", properties={"n": n, "price": 9.5, "name": "caf\u00e9"},
                 message_id=mid("track", n))
client.identify(user_id=user, traits={"email": "a@example.com", "plan": "pro"}, message_id=mid("identify"))
client.group(user_id=user, group_id="g-1", traits={"name": "Initech"}, message_id=mid("group"))
client.page(user_id=user, category="Docs", name="Intro", properties={"path": "/docs"}, message_id=mid("page"))
client.screen(user_id=user, category="App", name="Home", properties={"x": 1}, message_id=mid("screen"))
client.alias(previous_id=f"anon-{args.prefix}", user_id=user, message_id=mid("alias"))
client.flush()
client.shutdown() if hasattr(client, "shutdown") else client.join()
print(json.dumps({"sent": sent, "errors": errors}))
sys.exit(1 if errors else 0)
