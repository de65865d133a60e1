/// The second part of the console script (see `ConsoleAssets.script`): renaming and deleting sources, the
/// destination and bucket policy forms, the overview, archive and nodes pages, and the dispatch on `data-page`.
/// Values still go in only through `textContent`.
extension ConsoleAssets {
    static let scriptPages = #"""
          function changeSource(source) {
            const box = document.getElementById("change-source"), error = document.getElementById("change-error");
            box.dataset.sourceId = source.id;
            box.dataset.sourceName = source.name;
            document.getElementById("change-source-name").textContent = source.name;
            document.getElementById("rename-name").value = source.name;
            document.getElementById("delete-confirm").value = "";
            show(error, "");
            box.hidden = false;
            document.getElementById("rename-name").focus();
          }
          function sourceChanges() {
            const box = document.getElementById("change-source"), error = document.getElementById("change-error");
            document.getElementById("rename-source").addEventListener("submit", async (ev) => {
              ev.preventDefault();
              try {
                await api("POST", "sources/" + encodeURIComponent(box.dataset.sourceId) + "/rename", { name: document.getElementById("rename-name").value.trim() });
                box.hidden = true;
                await loadSources();
              } catch (e) { show(error, e.message); }
            });
            document.getElementById("delete-source").addEventListener("submit", async (ev) => {
              ev.preventDefault();
              const typed = document.getElementById("delete-confirm").value;
              if (typed !== box.dataset.sourceName) { show(error, "Type " + box.dataset.sourceName + " exactly to confirm."); return; }
              try {
                await api("POST", "sources/" + encodeURIComponent(box.dataset.sourceId) + "/delete", { confirm: typed });
                box.hidden = true;
                await loadSources();
              } catch (e) { show(error, e.message); }
            });
          }

          const destinationFields = { source: "destination-source", bucket: "destination-bucket", sse: "destination-sse",
            endpoint: "destination-endpoint", region: "destination-region", accessKeyId: "destination-access-key",
            secretAccessKey: "destination-secret", roleArn: "destination-role", externalId: "destination-external-id" };
          function editDestination(d) {
            document.getElementById("destination-id").value = d.id;
            document.getElementById("destination-form-title").textContent = "Edit destination " + d.bucket;
            document.getElementById("save-destination").textContent = "Save";
            document.getElementById("cancel-edit").hidden = false;
            const values = { source: d.sourceId, bucket: d.bucket, sse: d.sse || "", endpoint: d.endpoint || "", region: d.region || "",
              accessKeyId: (d.access && d.access.accessKeyId) || "", secretAccessKey: "", roleArn: (d.access && d.access.roleArn) || "",
              externalId: (d.access && d.access.externalId) || "" };
            for (const [k, id] of Object.entries(destinationFields)) document.getElementById(id).value = values[k];
            document.getElementById("destination-source").disabled = true;
            document.getElementById("destination-bucket").focus();
          }
          function resetDestinationForm() {
            document.getElementById("destination-form").reset();
            document.getElementById("destination-id").value = "";
            document.getElementById("destination-form-title").textContent = "Add a destination";
            document.getElementById("save-destination").textContent = "Add";
            document.getElementById("cancel-edit").hidden = true;
            document.getElementById("destination-source").disabled = false;
          }
          async function removeDestination(d) {
            const typed = prompt("Remove the destination " + d.bucket + "? Type its bucket to confirm.");
            if (typed === null) return;
            try { await api("POST", "destinations/" + encodeURIComponent(d.id) + "/remove", { confirm: typed }); await loadDestinations(); }
            catch (e) { show(document.getElementById("destinations-error"), e.message); }
          }
          function destinationForms() {
            const form = document.getElementById("destination-form"), error = document.getElementById("destination-form-error");
            api("GET", "sources").then((rows) => document.getElementById("destination-source").replaceChildren(
              ...rows.map((s) => el("option", { value: s.id, text: s.name }))));
            api("GET", "copy/next").then((n) => { document.getElementById("next-copy").textContent = when(n.nextCopyAt) + " (" + n.schedule + ")"; })
              .catch(() => { document.getElementById("next-copy").textContent = "unknown"; });
            document.getElementById("cancel-edit").addEventListener("click", resetDestinationForm);
            form.addEventListener("submit", async (ev) => {
              ev.preventDefault();
              show(error, "");
              const id = document.getElementById("destination-id").value, body = {};
              for (const [k, field] of Object.entries(destinationFields)) {
                const v = document.getElementById(field).value.trim();
                if (v && !(id && k === "source")) body[k] = v;
              }
              // Editing keeps the stored secret: the key id is sent again only with a new secret.
              if (id && !body.secretAccessKey) delete body.accessKeyId;
              const button = document.getElementById("save-destination");
              button.disabled = true;
              try {
                await api("POST", id ? "destinations/" + encodeURIComponent(id) + "/edit" : "destinations", body);
                resetDestinationForm();
                await loadDestinations();
              } catch (e) { show(error, e.message); }
              button.disabled = false;
            });
            const policyError = document.getElementById("policy-error"), findings = document.getElementById("policy-findings");
            const output = document.getElementById("policy-output");
            function policyBody() {
              return { bucket: document.getElementById("policy-bucket").value.trim(), principal: document.getElementById("policy-principal").value.trim(),
                sse: document.getElementById("policy-sse").value.trim() || "aes256", policy: document.getElementById("policy-text").value,
                enforceEncryption: document.getElementById("policy-enforce").checked, kms: document.getElementById("policy-kms").checked };
            }
            document.getElementById("policy-form").addEventListener("submit", async (ev) => {
              ev.preventDefault();
              show(policyError, ""); output.hidden = true; findings.replaceChildren();
              try {
                const answer = await api("POST", "policy/check", policyBody());
                findings.replaceChildren(...(answer.findings.length ? answer.findings.map((f) =>
                  el("li", { class: "finding " + f.severity, text: f.severity + ": " + f.message }))
                  : [el("li", { class: "finding ok", text: "ok: the policy lets Sluice copy into this bucket" })]));
              } catch (e) { show(policyError, e.message); }
            });
            document.getElementById("policy-generate").addEventListener("click", async () => {
              show(policyError, ""); findings.replaceChildren();
              try {
                const answer = await api("POST", "policy/generate", policyBody());
                output.textContent = answer.bucketPolicy + (answer.kmsKeyPolicy ? "\n\n// KMS key policy statement\n" + answer.kmsKeyPolicy : "");
                output.hidden = false;
                document.getElementById("policy-text").value = answer.bucketPolicy;
              } catch (e) { show(policyError, e.message); }
            });
          }

          function duration(ms) {
            if (ms === null || ms === undefined) return "none yet";
            return ms < 1000 ? ms + " ms" : ms < 120000 ? (ms / 1000).toFixed(1) + " s" : (ms / 60000).toFixed(1) + " min";
          }
          async function overviewPage() {
            const error = document.getElementById("overview-error");
            try {
              const o = await api("GET", "overview");
              const set = (id, text) => { document.getElementById(id).textContent = text; };
              set("events-24h", String(o.eventsLast24h)); set("rejected-24h", String(o.rejectedLast24h));
              set("spool-backlog", o.spool ? bytes(o.spool.retainedBytes) : "n/a");
              set("unstored", o.spool ? String(o.spool.unstoredBatches) : "n/a");
              show(document.getElementById("spool-error"), o.spool ? (o.spool.refusal || o.spool.lastStoreError || "") : "");
              set("delivered-24h", String(o.filesDeliveredLast24h)); set("pending", o.pendingFiles + " files");
              set("lag-median", duration(o.medianLagMs)); set("lag-max", duration(o.maxLagMs));
              set("next-copy", o.nextCopyAt ? when(o.nextCopyAt) : "n/a");
              document.querySelector("#source-counts tbody").replaceChildren(...o.sources.map((s) => el("tr", {}, [
                el("td", { "data-label": "Source", text: s.name }), el("td", { "data-label": "Events (24 h)", text: String(s.events) })])));
              document.getElementById("failing").replaceChildren(...(o.failingDestinations.length ? o.failingDestinations.map((f) =>
                el("li", { class: "error", text: f.bucket + ": " + f.lastError + " (" + when(f.lastErrorAt) + ")" }))
                : [el("li", { text: "No destination is failing." })]));
            } catch (e) { show(error, e.message); }
          }

          async function archivePage() {
            const sourceSelect = document.getElementById("archive-source"), daySelect = document.getElementById("archive-day");
            const error = document.getElementById("archive-error"), body = document.querySelector("#archive-files tbody");
            async function loadFiles() {
              body.replaceChildren();
              if (!sourceSelect.value || !daySelect.value) { body.append(el("tr", {}, [el("td", { colspan: "5", text: "No staged files." })])); return; }
              const files = await api("GET", "archive/" + encodeURIComponent(sourceSelect.value) + "/" + encodeURIComponent(daySelect.value));
              body.replaceChildren(...files.map((f) => {
                const count = el("td", { "data-label": "Events", class: "event-count", text: "–" });
                return el("tr", { "data-key": f.key }, [
                  el("td", { "data-label": "File" }, [el("code", { text: f.name })]), el("td", { "data-label": "Size", text: bytes(f.size) }), count,
                  el("td", { "data-label": "Staged", text: when(f.stagedAt) }),
                  el("td", { "data-label": "Actions" }, [
                    el("button", { type: "button", class: "secondary preview-file", text: "Preview", on: { click: () => preview(f, count) } }), " ",
                    el("a", { href: "/console/archive/download?key=" + encodeURIComponent(f.key), download: f.name, text: "Download" })]),
                ]);
              }));
            }
            async function preview(f, count) {
              show(error, "");
              try {
                const p = await api("GET", "archive/preview?key=" + encodeURIComponent(f.key));
                count.textContent = String(p.eventCount);
                document.getElementById("preview-name").textContent = f.name;
                document.getElementById("preview-count").textContent = p.eventCount + " events; the first " + p.lines.length + " lines:";
                document.getElementById("preview-lines").textContent = p.lines.map(redacted).join("\n");
                document.getElementById("preview").hidden = false;
              } catch (e) { show(error, e.message); }
            }
            async function loadDays() {
              daySelect.replaceChildren();
              if (!sourceSelect.value) return loadFiles();
              const days = await api("GET", "archive/" + encodeURIComponent(sourceSelect.value));
              daySelect.replaceChildren(...days.map((d) => el("option", { value: String(d.day),
                text: new Date(d.day).toISOString().slice(0, 10) + " (" + d.files + " files, " + bytes(d.bytes) + ")" })));
              await loadFiles();
            }
            sourceSelect.addEventListener("change", () => loadDays().catch((e) => show(error, e.message)));
            daySelect.addEventListener("change", () => loadFiles().catch((e) => show(error, e.message)));
            try {
              const rows = await api("GET", "sources");
              const wanted = new URLSearchParams(location.search).get("source");
              sourceSelect.replaceChildren(...rows.map((s) => el("option", { value: s.id, text: s.name })));
              if (wanted && rows.some((s) => s.id === wanted)) sourceSelect.value = wanted;
              await loadDays();
            } catch (e) { show(error, e.message); }
          }

          async function nodesPage() {
            const error = document.getElementById("nodes-error");
            try {
              const rows = await api("GET", "nodes");
              const now = Date.now();
              document.querySelector("#nodes tbody").replaceChildren(...(rows.length ? rows.map((n) => el("tr", {}, [
                el("td", { "data-label": "Id", text: n.id }), el("td", { "data-label": "Address", text: n.address }),
                el("td", { "data-label": "Version", text: n.version }),
                el("td", { "data-label": "Last heartbeat", text: Math.max(0, Math.round((now - n.heartbeatAtMilliseconds) / 1000)) + " s ago" }),
                el("td", { "data-label": "Open batches", text: String(n.openBatches) }),
                el("td", { "data-label": "Spool backlog", text: bytes(n.spoolBacklogBytes) }),
                el("td", { "data-label": "Copy leases", text: String(n.copyLeases) })]))
                : [el("tr", {}, [el("td", { colspan: "7", text: "No nodes registered (single-node mode)." })])]));
            } catch (e) { show(error, e.message); }
          }

          const page = document.body.dataset.page;
          if (page === "sources") { sourcesPage(); sourceChanges(); }
          else if (page === "debugger") debuggerPage();
          else if (page === "destinations") destinationsPage();
          else if (page === "overview") overviewPage();
          else if (page === "archive") archivePage();
          else if (page === "nodes") nodesPage();
        })();
        """#
}
