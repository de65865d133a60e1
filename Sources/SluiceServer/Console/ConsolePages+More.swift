/// The overview, archive and nodes pages, and the destinations page's forms (add/edit, bucket policy). Static
/// shells like the rest: the script fills them from the JSON routes, the charts are SVG images from
/// `/console/charts/`.
extension ConsolePages {
    static let overviewBody = """
        <h1>Overview</h1>
        <section class="card stats" aria-live="polite">
        <p>Events accepted (24 h): <strong id="events-24h">…</strong> · quarantined: <strong id="rejected-24h">…</strong>
        </p>
        <p>Spool backlog: <strong id="spool-backlog">…</strong> · unstored batches: <strong id="unstored">…</strong>
        <span id="spool-error" class="error" hidden></span></p>
        <p>Files delivered (24 h): <strong id="delivered-24h">…</strong> · pending: <strong id="pending">…</strong> ·
        delivery lag (staged → in destination) median <strong id="lag-median">…</strong>, max
        <strong id="lag-max">…</strong> · next scheduled copy: <strong id="next-copy">…</strong></p>
        <p id="overview-error" class="error" role="alert" hidden></p>
        </section>
        <section class="card">
        <h2>Events</h2>
        <p><img class="chart" src="/console/charts/events.svg" alt="Events accepted per minute and source, last 24 hours">
        </p>
        <div class="scroll"><table class="cards" id="source-counts">
        <thead><tr><th>Source</th><th>Events (24 h)</th></tr></thead><tbody></tbody></table></div>
        </section>
        <section class="card">
        <h2>Errors</h2>
        <p><img class="chart" src="/console/charts/rejected.svg" alt="Events quarantined per minute, last 24 hours"></p>
        <ul id="failing" class="plain"></ul>
        </section>
        <section class="card">
        <h2>Delivery</h2>
        <p><img class="chart" src="/console/charts/deliveries.svg" alt="Files delivered per hour, last 24 hours"></p>
        </section>
        """

    static let destinationFormBody = """
        <section class="card" id="destination-editor">
        <h2 id="destination-form-title">Add a destination</h2>
        <form id="destination-form">
        <input type="hidden" id="destination-id" value="">
        <label for="destination-source">Source</label>
        <select id="destination-source" name="source" required></select>
        <label for="destination-bucket">Bucket (mybucket or mybucket/prefix)</label>
        <input id="destination-bucket" name="bucket" required>
        <label for="destination-sse">Server-side encryption</label>
        <input id="destination-sse" name="sse" placeholder="aes256, none or kms:KEY-ID">
        <label for="destination-endpoint">Endpoint (S3-compatible stores; empty for AWS)</label>
        <input id="destination-endpoint" name="endpoint" placeholder="https://s3.example.com">
        <label for="destination-region">Region</label>
        <input id="destination-region" name="region" placeholder="us-east-1">
        <label for="destination-access-key">Access key id (empty: Sluice's own credentials or a role)</label>
        <input id="destination-access-key" name="accessKeyId" autocomplete="off">
        <label for="destination-secret">Secret access key (never shown again; empty when editing keeps the stored one)
        </label>
        <input id="destination-secret" name="secretAccessKey" type="password" autocomplete="new-password">
        <label for="destination-role">Role ARN (instead of keys)</label>
        <input id="destination-role" name="roleArn" autocomplete="off">
        <label for="destination-external-id">External id (with the role)</label>
        <input id="destination-external-id" name="externalId" autocomplete="off">
        <p><button type="submit" id="save-destination">Add</button>
        <button type="button" id="cancel-edit" class="secondary" hidden>Cancel</button></p>
        <p class="hint">Saving makes a validation write into the bucket first; if it is refused, nothing changes and
        the reason shows here.</p>
        </form>
        <p id="destination-form-error" class="error" role="alert" hidden></p>
        </section>
        """

    static let policyFormBody = """
        <section class="card" id="policy">
        <h2>Bucket policy</h2>
        <form id="policy-form">
        <label for="policy-bucket">Bucket (mybucket or mybucket/prefix)</label>
        <input id="policy-bucket" required>
        <label for="policy-principal">Sluice's principal ARN</label>
        <input id="policy-principal" placeholder="arn:aws:iam::123456789012:user/sluice-copy">
        <label for="policy-sse">Destination's encryption</label>
        <input id="policy-sse" value="aes256">
        <label><input type="checkbox" id="policy-enforce"> Deny uploads without encryption (generate)</label>
        <label><input type="checkbox" id="policy-kms"> Bucket default is SSE-KMS (generate)</label>
        <label for="policy-text">Policy to check (paste the bucket's policy JSON)</label>
        <textarea id="policy-text" rows="8"></textarea>
        <p><button type="button" id="policy-generate" class="secondary">Generate</button>
        <button type="submit" id="policy-check">Check</button></p>
        </form>
        <p id="policy-error" class="error" role="alert" hidden></p>
        <ul id="policy-findings" class="plain" aria-live="polite"></ul>
        <pre id="policy-output" hidden></pre>
        </section>
        """

    static let archiveBody = """
        <h1>Archive</h1>
        <section class="card">
        <form id="archive-filter" class="filters">
        <label>Source <select id="archive-source"></select></label>
        <label>Received day <select id="archive-day"></select></label>
        </form>
        <p id="archive-error" class="error" role="alert" hidden></p>
        <div class="scroll"><table class="cards" id="archive-files">
        <thead><tr><th>File</th><th>Size</th><th>Events</th><th>Staged</th><th>Actions</th></tr></thead>
        <tbody></tbody></table></div>
        </section>
        <section id="preview" class="card" hidden aria-live="polite">
        <h2>First lines of <code id="preview-name"></code></h2>
        <p id="preview-count"></p>
        <pre id="preview-lines"></pre>
        </section>
        """

    static let nodesBody = """
        <h1>Nodes</h1>
        <section class="card">
        <p id="nodes-error" class="error" role="alert" hidden></p>
        <div class="scroll"><table class="cards" id="nodes">
        <thead><tr><th>Id</th><th>Address</th><th>Version</th><th>Last heartbeat</th><th>Open batches</th>\\
        <th>Spool backlog</th><th>Copy leases</th></tr></thead>
        <tbody></tbody></table></div>
        <p class="hint">The nodes sharing this catalog (<code>sluice nodes list</code>).</p>
        </section>
        """
}
