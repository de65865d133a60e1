#!/usr/bin/env python3
"""Sends track calls continuously through an official SDK until a stop file appears (test tooling).

usage: sdk_stream.py --sdk segment|rudder --host URL --write-key KEY --prefix ID --stop-file PATH
                     [--progress-file PATH] [--per-round N] [--max-retries N]

Each round enqueues --per-round tracks and flushes. The SDK reports a failed upload through on_error with the
batch it gave up on; every other message was acknowledged with a 2xx. With --max-retries 0 (the default) a
request whose answer was lost (a node killed mid-request) is reported, not sent again, so an acknowledged
messageId was sent exactly once. --progress-file is rewritten after every round with the number of acknowledged
messages so far, for a test to poll. At the end one JSON object is printed:
{"acked": [messageId, ...], "failed": [messageId, ...], "errors": [...]}.
"""
import argparse
import json
import os
import sys
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--sdk", choices=["segment", "rudder"], required=True)
parser.add_argument("--host", required=True)
parser.add_argument("--write-key", required=True)
parser.add_argument("--prefix", required=True)
parser.add_argument("--stop-file", required=True)
parser.add_argument("--progress-file")
parser.add_argument("--per-round", type=int, default=20)
parser.add_argument("--max-retries", type=int, default=0)
args = parser.parse_args()

lock = threading.Lock()
failed = set()
errors = []


def on_error(error, items):
    with lock:
        errors.append(f"{error!r} ({len(items)} items)")
        for item in items:
            failed.add(item.get("messageId"))


if args.sdk == "segment":
    from segment.analytics import Client
else:
    from rudderstack.analytics import Client

client = Client(args.write_key, host=args.host, gzip=args.sdk == "rudder", on_error=on_error, upload_interval=0.05,
                max_retries=args.max_retries, timeout=10)
sent = []
round_number = 0
while not os.path.exists(args.stop_file):
    for n in range(args.per_round):
        message_id = f"{args.prefix}-{round_number}-{n}"
        sent.append(message_id)
        client.track(user_id=f"user-{args.prefix}", event="Order Completed",
                     properties={"round": round_number, "n": n, "name": "caf\u00e9"}, message_id=message_id)
    client.flush()
    round_number += 1
    if args.progress_file:
        with lock:
            acked = len(sent) - len(failed)
        with open(args.progress_file + ".tmp", "w") as progress:
            progress.write(f"{acked} {len(failed)}\n")
        os.replace(args.progress_file + ".tmp", args.progress_file)
client.flush()
client.shutdown() if hasattr(client, "shutdown") else client.join()
with lock:
    acked = [m for m in sent if m not in failed]
    print(json.dumps({"acked": acked, "failed": sorted(failed), "errors": errors[:20]}))
