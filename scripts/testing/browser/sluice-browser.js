// The project's own stand-in for analytics.js (analytics-next), which cannot be fetched from npm here. It sends what
// analytics-next sends, on the same paths and with the same transports:
//   - settings from `${cdnURL}/v1/projects/${writeKey}/settings`, then events to `${protocol}://${apiHost}/{p,i,t,b}`
//     as the Segment.io entry of that document says;
//   - `fetch` with `Content-Type: text/plain` and `keepalive` (the standard dispatcher), `navigator.sendBeacon`, and a
//     batch with `Content-Type: application/json`, which makes the browser send a CORS preflight first;
//   - the write key in the body, `context.page`, `context.userAgent`, `context.library`, `_metadata`, `timestamp`
//     and `sentAt` as ISO strings.
// The outcome is left in `window.__sluiceResult` for the test driver to read.
(async function () {
  const query = new URLSearchParams(window.location.search);
  const cdn = query.get("cdn");
  const writeKey = query.get("writeKey");
  const prefix = query.get("prefix") || "browser";
  const result = { userAgent: navigator.userAgent, origin: window.location.origin, calls: [] };
  try {
    const settingsReply = await fetch(`${cdn}/v1/projects/${encodeURIComponent(writeKey)}/settings`);
    result.settingsStatus = settingsReply.status;
    const settings = await settingsReply.json();
    const segment = settings.integrations["Segment.io"];
    const api = `${segment.protocol}://${segment.apiHost}`;
    const anonymousId = `anon-${prefix}`;
    const page = {
      path: window.location.pathname,
      referrer: document.referrer,
      search: window.location.search,
      title: document.title,
      url: window.location.href,
    };
    const message = (type, fields) => {
      const now = new Date().toISOString();
      return Object.assign(
        {
          type,
          anonymousId,
          messageId: `${prefix}-${type}`,
          timestamp: now,
          sentAt: now,
          writeKey: segment.apiKey,
          integrations: {},
          context: {
            page,
            userAgent: navigator.userAgent,
            locale: navigator.language,
            library: { name: "analytics.js", version: "next-sluice-test" },
          },
          _metadata: { bundled: ["Segment.io"], unbundled: [], bundledIds: [] },
        },
        fields,
      );
    };
    const post = async (path, body, headers, keepalive) => {
      const reply = await fetch(api + path, { method: "post", keepalive, headers, body: JSON.stringify(body) });
      result.calls.push({ path, status: reply.status, body: await reply.text() });
    };
    const plain = { "Content-Type": "text/plain" };
    await post("/p", message("page", { name: "Home", properties: page }), plain, true);
    await post("/i", message("identify", { userId: "u-browser", traits: { plan: "pro" } }), plain, true);
    const beacon = message("track", { event: "Beacon Sent", properties: { via: "sendBeacon" } });
    result.calls.push({ path: "/t", beacon: navigator.sendBeacon(api + "/t", JSON.stringify(beacon)) });
    const batched = message("track", { messageId: `${prefix}-batch`, event: "Batched" });
    delete batched.sentAt;
    await post(
      "/b",
      { batch: [batched], writeKey: segment.apiKey, sentAt: new Date().toISOString() },
      { "Content-Type": "application/json" },
      false,
    );
  } catch (error) {
    result.error = String(error);
  }
  window.__sluiceResult = result;
})();
