#!/usr/bin/env python3
"""Deterministic Segment-style test data for the benchmarks (seeded, no network).

  make_bodies.py bodies OUT COUNT [TARGET_BYTES]   COUNT /v1/batch bodies of about TARGET_BYTES (default
                                                   10,000), one JSON body per line, for bench/lua/post.lua
  make_bodies.py ndjson OUT MEGABYTES              enriched-looking events, one per line (compression input)
"""
import json
import random
import sys

rng = random.Random(20261124)

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
]
NAMES = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Signed Up", "Logged In",
         "Video Started", "Link Clicked", "Search Submitted", "Plan Upgraded", "Invite Sent", "Report Exported"]
PAGES = ["/", "/pricing", "/docs/quickstart", "/blog/2024/launch", "/shop/item/4411", "/cart", "/settings/profile",
         "/search"]
LOCALES = ["en-US", "en-GB", "de-DE", "es-ES", "pt-BR", "ja-JP"]


def hex_id(bits):
    return "%0*x" % (bits // 4, rng.getrandbits(bits))


def uuid4():
    h = hex_id(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def iso(seconds, millis):
    days, rest = divmod(seconds, 86400)
    return "2026-11-%02dT%02d:%02d:%02d.%03dZ" % (1 + days % 28, rest // 3600, rest // 60 % 60, rest % 60, millis)


def one_event(n):
    kind = rng.choices(["track", "page", "identify", "screen", "group", "alias"], [60, 20, 10, 5, 3, 2])[0]
    user = "u%06d" % rng.randint(1, 200_000)
    page = rng.choice(PAGES)
    t = 1_700_000 + n // 40
    e = {
        "type": kind,
        "messageId": "ajs-" + hex_id(128),
        "anonymousId": uuid4(),
        "userId": user,
        "timestamp": iso(t, rng.randint(0, 999)),
        "context": {
            "library": {"name": "analytics.js", "version": "5.2.%d" % rng.randint(0, 9)},
            "locale": rng.choice(LOCALES),
            "userAgent": rng.choice(BROWSERS),
            "page": {"path": page, "url": "https://shop.example.org" + page, "title": "Example shop " + page,
                     "referrer": rng.choice(["", "https://duckduckgo.com/", "https://t.co/abc"])},
            "campaign": rng.choice([{}, {"source": "mail", "medium": "email", "name": "winter"}]),
            "screen": {"width": rng.choice([390, 1280, 1440, 1920]), "height": rng.choice([844, 800, 900, 1080]),
                       "density": rng.choice([1, 2, 3])},
            "timezone": rng.choice(["Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Sao_Paulo"]),
            "device": {"id": hex_id(64), "type": rng.choice(["web", "ios", "android"])},
        },
    }
    if kind == "track":
        e["event"] = rng.choice(NAMES)
        props = {"revenue": round(rng.uniform(1, 400), 2), "currency": rng.choice(["USD", "EUR"]),
                 "sku": "SKU-%05d" % rng.randint(1, 99_999)}
        if rng.random() < 0.35:
            props["items"] = [{"id": "p%d" % rng.randint(1, 5000), "qty": rng.randint(1, 3),
                               "price": round(rng.uniform(2, 80), 2)} for _ in range(rng.randint(1, 5))]
        e["properties"] = props
    elif kind in ("page", "screen"):
        e["name"] = page
        e["properties"] = {"path": page, "title": "Example shop", "height": rng.choice([720, 900, 1080])}
    elif kind == "identify":
        e["traits"] = {"email": user + "@mail.example.org", "plan": rng.choice(["free", "team", "business"]),
                       "company": {"name": "Acme %d" % rng.randint(1, 900)}, "logins": rng.randint(1, 300)}
    elif kind == "group":
        e["groupId"] = "g%04d" % rng.randint(1, 3000)
        e["traits"] = {"name": "Team %d" % rng.randint(1, 3000), "seats": rng.randint(1, 500)}
    else:
        e["previousId"] = uuid4()
    return e


def bodies(out, count, target):
    n = 0
    sizes = []
    with open(out, "w") as f:
        for _ in range(count):
            items = []
            size = 60
            while size < target - 700:
                e = one_event(n)
                n += 1
                size += len(json.dumps(e, separators=(",", ":"))) + 1
                items.append(e)
            body = json.dumps({"batch": items, "sentAt": iso(1_700_000 + n // 40, 0),
                               "context": {"library": {"name": "analytics-node", "version": "2.1.0"}}},
                              separators=(",", ":"))
            sizes.append(len(body))
            f.write(body + "\n")
    print(f"{out}: {count} bodies, {n} events ({n / count:.1f}/body), mean {sum(sizes) / count:.0f} B")


def ndjson(out, megabytes):
    written = n = 0
    with open(out, "w") as f:
        while written < megabytes * 1_000_000:
            e = one_event(n)
            e["receivedAt"] = e["timestamp"]
            e["originalTimestamp"] = e["timestamp"]
            e["projectId"] = "src_bench"
            e["version"] = 2
            line = json.dumps(e, separators=(",", ":"), sort_keys=True) + "\n"
            f.write(line)
            written += len(line)
            n += 1
    print(f"{out}: {n} events, {written} B")


if __name__ == "__main__":
    if sys.argv[1] == "bodies":
        bodies(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 10_000)
    elif sys.argv[1] == "ndjson":
        ndjson(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
