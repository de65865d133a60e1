/// The console's one script. Every value from the catalog or from events goes into the page through
/// `textContent` (the `el` helper), never through `innerHTML`, so an event holding `<script>` shows as text.
extension ConsoleAssets {
    /// The whole script: this part's helpers and pages, then `ConsoleAssets+Pages.swift`'s pages and the dispatch
    /// (one function scope, so the later part uses `el`, `api` and the rest).
    static let script = scriptStart + scriptPages

    static let scriptStart = #"""
        "use strict";
        (function () {
          const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
          function el(tag, attrs, children) {
            const node = document.createElement(tag);
            for (const [k, v] of Object.entries(attrs || {})) {
              if (k === "text") node.textContent = v; else if (k === "on") { for (const [e, f] of Object.entries(v)) node.addEventListener(e, f); }
              else node.setAttribute(k, v);
            }
            for (const c of children || []) node.append(c);
            return node;
          }
          async function api(method, path, body) {
            const headers = { "X-CSRF-Token": csrf };
            if (body !== undefined) headers["Content-Type"] = "application/json";
            const r = await fetch("/console/api/" + path, { method, headers, credentials: "same-origin",
              body: body === undefined ? undefined : JSON.stringify(body) });
            if (r.status === 401) { location.href = "/console/sign-in"; throw new Error("signed out"); }
            const data = await r.json().catch(() => ({}));
            if (!r.ok) throw new Error(data.message || ("HTTP " + r.status));
            return data;
          }
          function when(ms) { return ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "never"; }
          function bytes(n) { return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : (n / 1048576).toFixed(1) + " MiB"; }
          function show(node, text) { node.textContent = text; node.hidden = !text; }
          // A body's writeKey is kept in the archive (as Segment does); the console never shows a key again.
          function redacted(text) {
            try {
              const o = JSON.parse(text);
              if (o && typeof o === "object" && "writeKey" in o) o.writeKey = "(redacted)";
              return JSON.stringify(o, null, 2);
            } catch (e) { return text; }
          }

          const signOut = document.getElementById("sign-out");
          if (signOut) signOut.addEventListener("click", async () => {
            await api("POST", "sign-out").catch(() => {});
            location.href = "/console/sign-in";
          });

          function snippets(host, key) {
            const q = JSON.stringify;
            return [
              ["Python", "import segment.analytics as analytics\nanalytics.write_key = " + q(key) + "\nanalytics.host = " + q(host) +
                "\nanalytics.track(\"user-1\", \"Signed Up\", {\"plan\": \"pro\"})\nanalytics.flush()"],
              ["Node", "const { Analytics } = require(\"@segment/analytics-node\");\nconst analytics = new Analytics({ writeKey: " + q(key) +
                ", host: " + q(host) + " });\nanalytics.track({ userId: \"user-1\", event: \"Signed Up\" });"],
              ["analytics.js", "import { AnalyticsBrowser } from \"@segment/analytics-next\";\nexport const analytics = AnalyticsBrowser.load({ writeKey: " +
                q(key) + ", cdnURL: " + q(host) + " });"],
              ["curl", "curl " + host + "/v1/track -u " + q(key + ":").replace(/"/g, "'") +
                " -H 'Content-Type: application/json' \\\n  -d '{\"userId\":\"user-1\",\"event\":\"Signed Up\"}'"],
            ];
          }
          function showKey(answer) {
            const box = document.getElementById("new-key");
            document.getElementById("new-key-source").textContent = answer.name;
            document.getElementById("new-key-value").textContent = answer.writeKey;
            const list = document.getElementById("snippets");
            list.replaceChildren(...snippets(location.origin, answer.writeKey).map(([name, code]) =>
              el("div", { class: "snippet" }, [el("h3", { text: name }), el("pre", { class: "snippet-" + name.replace(/\W/g, ""), text: code })])));
            box.hidden = false;
            box.scrollIntoView();
          }
          async function loadSources() {
            const rows = await api("GET", "sources");
            const body = document.querySelector("#sources tbody");
            body.replaceChildren(...rows.map((s) => el("tr", { "data-source-id": s.id }, [
              el("td", { "data-label": "Name", text: s.name }), el("td", { "data-label": "Id" }, [el("code", { text: s.id })]),
              el("td", { "data-label": "Keys", class: "key-count", text: String(s.keyCount) }),
              el("td", { "data-label": "Events (24 h)", class: "events-24h", text: String(s.eventsLast24h) }),
              el("td", { "data-label": "Created", text: when(s.createdAt) }),
              el("td", { "data-label": "Actions" }, [
                el("button", { type: "button", class: "secondary add-key", text: "Add key", on: { click: () => newKey(s, false) } }), " ",
                el("button", { type: "button", class: "secondary rotate-key", text: "Rotate key", on: { click: () => newKey(s, true) } }), " ",
                el("button", { type: "button", class: "secondary change-source", text: "Rename or delete", on: { click: () => changeSource(s) } }), " ",
                el("a", { href: "/console/debugger?source=" + encodeURIComponent(s.id), text: "Debugger" }), " ",
                el("a", { href: "/console/archive?source=" + encodeURIComponent(s.id), text: "Archive" }),
              ]),
            ])));
          }
          async function newKey(source, rotate) {
            if (rotate && !confirm("Revoke every other key of " + source.name + " once the new key exists?")) return;
            try { showKey(await api("POST", "sources/" + encodeURIComponent(source.id) + "/keys", { rotate })); await loadSources(); }
            catch (e) { show(document.getElementById("form-error"), e.message); }
          }
          function sourcesPage() {
            document.getElementById("create-source").addEventListener("submit", async (ev) => {
              ev.preventDefault();
              const error = document.getElementById("form-error");
              show(error, "");
              try {
                showKey(await api("POST", "sources", { name: document.getElementById("source-name").value.trim() }));
                ev.target.reset();
                await loadSources();
              } catch (e) { show(error, e.message); }
            });
            loadSources().catch((e) => show(document.getElementById("form-error"), e.message));
          }

          function debuggerPage() {
            const select = document.getElementById("source"), list = document.getElementById("events");
            const status = document.getElementById("status"), skippedNote = document.getElementById("skipped");
            let stream = null, paused = false, held = [], skipped = 0;
            function render(text) {
              const pretty = redacted(text);
              let meta = "";
              try { const o = JSON.parse(text); meta = [o.type, o.event, o.userId, o.messageId].filter(Boolean).join(" · "); } catch (e) {}
              list.prepend(el("li", { class: "event" }, [el("div", { class: "meta", text: meta }), el("pre", { text: pretty })]));
              while (list.children.length > 500) list.lastChild.remove();
            }
            function connect() {
              if (stream) stream.close();
              document.body.dataset.live = "0";
              list.replaceChildren(); held = []; skipped = 0; show(skippedNote, "");
              if (!select.value) { status.textContent = "No source."; return; }
              const params = new URLSearchParams();
              for (const f of ["type", "event", "userId", "messageId"]) {
                const v = document.getElementById("filter-" + f).value.trim();
                if (v) params.set(f, v);
              }
              stream = new EventSource("/console/api/sources/" + encodeURIComponent(select.value) + "/events?" + params);
              stream.onopen = () => { status.textContent = paused ? "Paused" : "Listening"; document.body.dataset.live = "1"; };
              stream.onerror = () => { status.textContent = "Reconnecting…"; };
              stream.onmessage = (m) => { if (paused) { held.push(m.data); status.textContent = "Paused (" + held.length + " new)"; } else render(m.data); };
              stream.addEventListener("skipped", (m) => { skipped += Number(m.data) || 0; show(skippedNote, skipped + " events skipped (the browser fell behind)"); });
              loadQuarantine();
            }
            async function loadQuarantine() {
              const q = document.getElementById("quarantine");
              if (!select.value) return q.replaceChildren();
              const rows = await api("GET", "sources/" + encodeURIComponent(select.value) + "/quarantine");
              q.replaceChildren(...rows.map((r) => el("li", { class: "quarantined" }, [
                el("div", { class: "meta" }, [el("span", { class: "code", text: r.code }), " · ", el("span", { class: "reason", text: r.message }),
                  " · " + when(r.receivedAt)]),
                el("pre", { text: redacted(r.raw) }),
              ])));
              if (!rows.length) q.append(el("li", { text: "No rejected events." }));
            }
            document.getElementById("pause").addEventListener("click", (ev) => {
              paused = !paused;
              ev.target.textContent = paused ? "Resume" : "Pause";
              status.textContent = paused ? "Paused" : "Listening";
              if (!paused) { for (const t of held) render(t); held = []; }
            });
            document.getElementById("debugger-filter").addEventListener("submit", (ev) => { ev.preventDefault(); connect(); });
            select.addEventListener("change", connect);
            document.getElementById("reload-quarantine").addEventListener("click", () => loadQuarantine());
            for (const [tab, panel] of [["tab-live", "panel-live"], ["tab-quarantine", "panel-quarantine"]]) {
              document.getElementById(tab).addEventListener("click", () => {
                for (const [t, p] of [["tab-live", "panel-live"], ["tab-quarantine", "panel-quarantine"]]) {
                  document.getElementById(t).setAttribute("aria-selected", String(t === tab));
                  document.getElementById(p).hidden = p !== panel;
                }
                if (tab === "tab-quarantine") loadQuarantine();
              });
            }
            api("GET", "sources").then((rows) => {
              const wanted = new URLSearchParams(location.search).get("source");
              select.replaceChildren(...rows.map((s) => el("option", { value: s.id, text: s.name })));
              if (wanted && rows.some((s) => s.id === wanted)) select.value = wanted;
              connect();
            });
          }

          async function loadDestinations() {
            const error = document.getElementById("destinations-error");
            try {
              const rows = await api("GET", "destinations");
              document.querySelector("#destinations tbody").replaceChildren(...rows.map((d) => el("tr", { "data-destination-id": d.id }, [
                el("td", { "data-label": "Bucket" }, [el("code", { text: d.bucket })]), el("td", { "data-label": "Source" }, [el("code", { text: d.sourceId })]),
                el("td", { "data-label": "Status", class: "state", text: d.enabled ? "enabled" : "disabled" }),
                el("td", { "data-label": "Last success", text: when(d.lastSuccessAt) }),
                el("td", { "data-label": "Pending", text: d.pendingFiles + " files, " + bytes(d.pendingBytes) }),
                el("td", { "data-label": "Delivered files", class: "delivered", text: String(d.deliveredFiles) }),
                el("td", { "data-label": "Last error", class: "last-error", text: d.lastError || "" }),
                el("td", { "data-label": "Actions" }, [el("button", { type: "button", class: "secondary toggle", text: d.enabled ? "Disable" : "Enable", on: { click: async () => {
                  try { await api("POST", "destinations/" + encodeURIComponent(d.id) + (d.enabled ? "/disable" : "/enable")); await loadDestinations(); }
                  catch (e) { show(error, e.message); }
                } } }), " ",
                el("button", { type: "button", class: "secondary edit-destination", text: "Edit", on: { click: () => editDestination(d) } }), " ",
                el("button", { type: "button", class: "secondary remove-destination", text: "Remove", on: { click: () => removeDestination(d) } }), " ",
                el("a", { href: "/console/charts/deliveries.svg?destination=" + encodeURIComponent(d.id), text: "Files per hour" })]),
              ])));
              if (!rows.length) document.querySelector("#destinations tbody").append(el("tr", {}, [el("td", { colspan: "8", text: "No destinations." })]));
            } catch (e) { show(error, e.message); }
          }
          function destinationsPage() {
            document.getElementById("copy-now").addEventListener("click", async (ev) => {
              const result = document.getElementById("copy-result");
              ev.target.disabled = true;
              result.textContent = "Copying…";
              try {
                const report = await api("POST", "copy");
                result.textContent = "Delivered " + report.delivered + " file(s)" + (report.failed.length ? "; " + report.failed.length + " destination(s) failed" : "");
              } catch (e) { result.textContent = e.message; }
              ev.target.disabled = false;
              await loadDestinations();
            });
            loadDestinations();
            destinationForms();
          }

        """#
}
