#!/usr/bin/env python3
"""Fills a bucket with a Segment-layout day folder for bench/logs_sync.sh.

usage: logs_sync_setup.py ENDPOINT BUCKET SOURCE DAY_MS FILES EVENTS_PER_FILE
Each file is gzip NDJSON of Segment-like track events, named {ms}.{node}.{build}.{uuid}.gz, stored with
Content-Type text/plain and Content-Encoding gzip, as Segment's S3 destination stores them.
"""
import gzip
import json
import random
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3

endpoint, bucket, source, day, files, events = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
s3.create_bucket(Bucket=bucket)
rng = random.Random(42)


def body(index):
    lines = []
    for n in range(events):
        at = "2026-11-24T%02d:%02d:%02d.000Z" % (rng.randrange(24), rng.randrange(60), rng.randrange(60))
        lines.append(json.dumps({
            "anonymousId": "anon-%d" % rng.randrange(10**6), "channel": "server",
            "context": {"library": {"name": "analytics-python", "version": "2.4.0"}, "ip": "10.0.%d.%d" % (n % 250, index % 250)},
            "event": rng.choice(["Signed Up", "Page Viewed", "Order Completed"]), "integrations": {},
            "messageId": str(uuid.UUID(int=rng.getrandbits(128))), "originalTimestamp": at, "projectId": source,
            "properties": {"n": n, "sku": "sku-%d" % rng.randrange(10**5), "price": rng.randrange(10**4) / 100},
            "receivedAt": at, "sentAt": at, "timestamp": at, "type": "track", "userId": "u-%d" % rng.randrange(10**5),
            "version": 2}, separators=(",", ":"), sort_keys=True))
    return gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=6)


bodies = [body(i) for i in range(files)]


def put(index):
    name = "%d.22d6e72e2a97.baa71ec.%s.gz" % (day + index * 1000 + 17, uuid.UUID(int=rng.getrandbits(128) | 1))
    s3.put_object(Bucket=bucket, Key="segment-logs/%s/%d/%s" % (source, day, name), Body=bodies[index],
                  ContentType="text/plain", ContentEncoding="gzip")


with ThreadPoolExecutor(8) as pool:
    list(pool.map(put, range(files)))
print("%d files, %d bytes" % (files, sum(len(b) for b in bodies)))
