#!/usr/bin/env python3
"""Raw-socket HTTP clients that misbehave on purpose, for the connection-guard tests.

Usage: http_edges.py CASE PORT WRITE_KEY [N]. Prints one JSON object: what the server did. Every wait is bounded
(a generous deadline, never a speed claim): a server without the behaviour under test makes the case report it
missing (no answer, connection still open) instead of hanging.
"""
import base64
import json
import socket
import sys
import time

CASE, PORT, KEY = sys.argv[1], int(sys.argv[2]), sys.argv[3]
N = int(sys.argv[4]) if len(sys.argv) > 4 else 400
AUTH = "Basic " + base64.b64encode((KEY + ":").encode()).decode()
EVENT = b'{"userId":"u","event":"Edge Case"}'


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    return s


def head(path, extra, length=None, chunked=False):
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: {AUTH}", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    lines += extra
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_until_closed(s, deadline):
    """Everything the server sends until it closes (closed=True) or the deadline passes (closed=False)."""
    data = b""
    s.settimeout(0.5)
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def parse(data):
    """Status codes of every response head in `data`, and the last body (as JSON when it is)."""
    statuses, body = [], None
    rest = data
    while rest.startswith(b"HTTP/1.1 "):
        header_end = rest.find(b"\r\n\r\n")
        if header_end < 0:
            break
        header = rest[:header_end].decode("latin-1")
        statuses.append(int(header.split(" ")[1]))
        length = 0
        for line in header.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = rest[header_end + 4 : header_end + 4 + length]
        rest = rest[header_end + 4 + length :]
    try:
        body = json.loads(body) if body else None
    except ValueError:
        body = body.decode("latin-1")
    return statuses, body


def report(**fields):
    print(json.dumps(fields))


if CASE == "expect-oversized":
    # Declares 10 MB and waits for "100 Continue" before sending any of it.
    s = connect()
    s.sendall(head("/v1/batch", ["Expect: 100-continue"], length=10_000_000))
    data, closed = read_until_closed(s, 15)
    statuses, body = parse(data)
    report(statuses=statuses, body=body, closed=closed)
elif CASE == "expect-small":
    s = connect()
    s.sendall(head("/v1/track", ["Expect: 100-continue"], length=len(EVENT)))
    s.settimeout(15)
    interim = s.recv(4096)
    s.sendall(EVENT)
    data, _ = read_until_closed(s, 3)
    statuses, body = parse(interim + data)
    report(statuses=statuses, body=body)
elif CASE == "oversized-close":
    # A writer that pushes a 10 MB body with Connection: close must get its 413, not stall.
    s = connect()
    s.sendall(head("/v1/batch", ["Connection: close"], length=10_000_000))
    sent, error = 0, None
    s.settimeout(10)
    try:
        while sent < 10_000_000:
            sent += s.send(b"x" * 65536)
    except OSError as e:
        error = type(e).__name__
    data, closed = read_until_closed(s, 15)
    statuses, body = parse(data)
    report(statuses=statuses, body=body, closed=closed, sentAll=sent >= 10_000_000, sendError=error)
elif CASE == "bad-chunked":
    s = connect()
    s.sendall(head("/v1/track", [], chunked=True) + b"ZZ\r\nabc\r\n")
    data, closed = read_until_closed(s, 15)
    statuses, body = parse(data)
    report(statuses=statuses, body=body, closed=closed)
elif CASE == "cut-off":
    s = connect()
    s.sendall(head("/v1/track", [], length=100) + EVENT[:10])
    s.shutdown(socket.SHUT_WR)
    data, closed = read_until_closed(s, 15)
    statuses, body = parse(data)
    report(statuses=statuses, body=body, closed=closed)
elif CASE in ("idle", "slow-header", "stalled-body"):
    s = connect()
    if CASE == "slow-header":
        s.sendall(b"POST /v1/tr")
    if CASE == "stalled-body":
        s.sendall(head("/v1/track", [], length=100) + EVENT[:10])
    data, closed = read_until_closed(s, 30)
    statuses, body = parse(data)
    report(statuses=statuses, closed=closed)
elif CASE == "flood":
    # N idle connections (more than the server's open-files limit allows), then one real request.
    idle = []
    for _ in range(N):
        try:
            c = socket.socket()
            c.settimeout(2)
            c.connect(("127.0.0.1", PORT))
            idle.append(c)
        except OSError:
            pass
    status, error = None, None
    end = time.monotonic() + 45
    while status is None and time.monotonic() < end:
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
            s.sendall(head("/v1/track", ["Connection: close"], length=len(EVENT)) + EVENT)
            data, _ = read_until_closed(s, 10)
            statuses, _ = parse(data)
            status = statuses[0] if statuses else None
        except OSError as e:
            error = type(e).__name__
    report(opened=len(idle), status=status, error=error)
else:
    sys.exit(f"unknown case {CASE}")
